builtins.stringLength (builtins.toFile "len" "x")
