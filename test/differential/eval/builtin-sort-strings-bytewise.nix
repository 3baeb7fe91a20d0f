builtins.sort builtins.lessThan [ "b" "a" "B" "" "aa" ]
