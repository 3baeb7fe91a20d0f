builtins.readFile ./data/lib-add.nix
