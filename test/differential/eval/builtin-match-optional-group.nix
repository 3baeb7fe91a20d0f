builtins.match "(x)?y" "y"
