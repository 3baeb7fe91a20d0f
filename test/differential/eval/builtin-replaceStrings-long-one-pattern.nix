# One pattern over a long subject (the buffer-writing path): runs between matches both shorter
# and longer than 64 bytes, matches at both ends, replacements longer and shorter than the
# pattern (the result outgrowing the input), multibyte UTF-8 around the matches.
let
  dense = builtins.concatStringsSep "," (builtins.genList (i: "é" + toString i) 300);
  sparse = builtins.concatStringsSep "::" (builtins.genList (i: builtins.substring 0 (i * 37) (builtins.concatStringsSep "" (builtins.genList (j: "ü-${toString j}") 60))) 12);
  edges = ",${dense},";
  one = p: r: s: builtins.replaceStrings [ p ] [ r ] s;
  hash = builtins.hashString "sha256";
in
[
  (builtins.stringLength dense)
  (hash (one "," "" dense))
  (hash (one "," "<a much longer replacement than the pattern>" dense))
  (hash (one "é" "e" dense))
  (hash (one "," ";" edges))
  (one "," "" edges == builtins.replaceStrings [ "," "zz" ] [ "" "y" ] edges)
  (hash (one "::" "-" sparse))
  (hash (one "::" (builtins.concatStringsSep "" (builtins.genList (i: "R") 500)) sparse))
  (hash (one "ü-5" "X" sparse))
  (builtins.substring 0 80 (one "," "|" edges))
]
