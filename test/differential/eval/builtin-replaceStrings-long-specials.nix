# Long subjects take other paths than short ones (native search, byte scanning): patterns and
# replacements made of RegExp syntax and `$` substitution patterns must stay literal.
let
  unit = "a.b*c+d?(e)[f]{g}|h^i$j\\k/l$&m$1n$$o-p,";
  long = builtins.concatStringsSep "" (builtins.genList (i: unit + toString i) 40);
  one = p: r: builtins.replaceStrings [ p ] [ r ] long;
in
[
  (builtins.stringLength long)
  (one "." "$&")
  (one "*" "$1")
  (one "$" "$$")
  (one "\\" "$'")
  (one "(e)" "$`")
  (one "[f]" "")
  (one "{g}|" "<$0>")
  (one "$&" "&")
  (one "not there" "x")
  (one "," ",,")
  (builtins.replaceStrings [ "$" "." "$&" "," ] [ "D" "$&" "X" "" ] long)
  (builtins.replaceStrings [ "a." "a" "," "9," ] [ "1" "2" "3" "4" ] long)
]
