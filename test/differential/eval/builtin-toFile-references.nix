let a = builtins.toFile "a" "x"; in builtins.toFile "b" "refers to ${a}"
