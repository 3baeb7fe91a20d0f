builtins.filter (s: s != "b") [ "c" "b" "a" "b" "d" ]
