builtins.substring 0 10 (builtins.toFile "sub" "x")
