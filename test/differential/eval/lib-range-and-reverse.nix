let
  range = first: last: if first > last then [ ] else builtins.genList (n: first + n) (last - first + 1);
  reverseList = xs: let l = builtins.length xs; in builtins.genList (n: builtins.elemAt xs (l - n - 1)) l;
in [ (range 3 7) (reverseList (range 1 5)) (range 5 1) ]
