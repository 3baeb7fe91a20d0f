builtins.path { path = ./data/dir; name = "filtered"; filter = p: t: t != "symlink" && baseNameOf p != "sub"; }
