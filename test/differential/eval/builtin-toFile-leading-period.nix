let dir = builtins.path { path = ./data; name = ".config"; }; in [ (builtins.toFile ".envrc" "use flake") (builtins.baseNameOf dir) ]
