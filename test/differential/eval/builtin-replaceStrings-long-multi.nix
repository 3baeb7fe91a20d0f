# Several patterns over long subjects: the first listed pattern that matches at a position wins
# (also when patterns share a first byte), matches up to the very end, results much longer than
# the subject, and bytes outside ASCII.
let
  rep = n: s: builtins.concatStringsSep "" (builtins.genList (_: s) n);
  long = rep 300 "abcabéx";
  r = builtins.replaceStrings;
  h = builtins.hashString "sha256";
in
[
  (builtins.stringLength long)
  (h (r [ "ab" "abc" "a" ] [ "1" "2" "3" ] long))
  (h (r [ "abc" "ab" "a" ] [ "1" "2" "3" ] long))
  (h (r [ "a" "b" "c" "x" ] [ "<a long replacement>" "" "$&" "\\" ] long))
  (h (r [ "é" "x" "abx" ] [ "e" "é" "?" ] long))
  (builtins.substring 0 60 (r [ "a" "b" "c" "x" ] [ "<a long replacement>" "" "$&" "\\" ] long))
  (builtins.substring 1790 20 (r [ "xab" "x" ] [ "X" "Y" ] (long + "xa")))
  (r [ "zz" "q" ] [ "1" "2" ] (rep 100 "abc") == rep 100 "abc")
  (r [ "cz" "c" ] [ "1" "2" ] (rep 100 "abc"))
]
