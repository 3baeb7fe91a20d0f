let
  n = 2000;
  set = builtins.foldl' (acc: i: acc // { "k${toString i}" = i; }) { } (builtins.genList (i: i) n);
in [ (builtins.length (builtins.attrNames set)) set.k0 set.k1999 ]
