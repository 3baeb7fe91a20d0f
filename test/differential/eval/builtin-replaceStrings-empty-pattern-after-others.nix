builtins.replaceStrings [ "b" "" ] [ "B" "-" ] "abc"
