# Joining strings whose contexts are equal, nested or disjoint gives the union every time.
let
  a = builtins.toFile "a" "A";
  b = builtins.toFile "b" "B";
  ab = "${a}${b}";
  ctx = s: builtins.attrNames (builtins.getContext s);
  sep = builtins.concatStringsSep;
in
{
  sameTwice = ctx (sep "," [ a a a ]);
  subsetAfter = ctx (sep "," [ ab a b ]);
  supersetAfter = ctx (sep "," [ a ab ]);
  disjoint = ctx (sep "," [ a "plain" b ]);
  sepContext = ctx (sep a [ "x" b "y" ]);
  plusNested = ctx (ab + a);
  plusNestedLeft = ctx (a + ab);
  interpNested = ctx "${ab}${b}";
  replaceUnion = ctx (builtins.replaceStrings [ "x" ] [ b ] "x${a}x");
  replaceUnused = ctx (builtins.replaceStrings [ "nope" ] [ b ] "x${a}x");
  substr = ctx (builtins.substring 0 3 ab);
  text = sep "," [ ab a ];
}
