[ (builtins.hasContext "plain") (builtins.hasContext (builtins.toFile "c" "x")) (builtins.hasContext "${builtins.toFile "c" "x"}-suffix") ]
