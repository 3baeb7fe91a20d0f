builtins.hasContext (builtins.replaceStrings [ "x" ] [ "y" ] "${builtins.toFile "r" "x"}")
