builtins.nixPath
