builtins.genList (i: builtins.elemAt [ "a" "b" "c" ] (2 - i)) 3
