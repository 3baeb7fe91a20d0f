let
  concatMapStrings = f: list: builtins.concatStringsSep "" (map f list);
  hasPrefix = pref: str: builtins.substring 0 (builtins.stringLength pref) str == pref;
  removePrefix = pref: str: if hasPrefix pref str then builtins.substring (builtins.stringLength pref) (-1) str else str;
  splitString = sep: s: builtins.filter builtins.isString (builtins.split (builtins.replaceStrings [ "." ] [ "\\." ] sep) s);
in [ (concatMapStrings (x: "<${x}>") [ "a" "b" ]) (hasPrefix "foo" "foobar") (removePrefix "foo" "foobar") (splitString "." "a.b.c") ]
