./a + builtins.toFile "x" "y"
