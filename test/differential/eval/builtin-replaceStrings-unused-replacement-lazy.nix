# modern (2.16+) forces replacement strings only when used; 2.8 forced them all.
builtins.replaceStrings [ "a" "b" ] [ "x" (throw "not used") ] "aaa"
