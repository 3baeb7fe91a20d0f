builtins.hasContext (builtins.head (builtins.match "(.*)" "${builtins.toFile "m" "x"}"))
