"${builtins.toFile "a" "b"}" == builtins.toFile "a" "b"
