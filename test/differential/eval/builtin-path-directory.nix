builtins.path { path = ./data/dir; }
