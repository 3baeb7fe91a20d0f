let file = builtins.path { path = ./builtin-toFile-leading-period.nix; name = ".config"; }; in [ (builtins.toFile ".envrc" "use flake") (builtins.baseNameOf file) ]
