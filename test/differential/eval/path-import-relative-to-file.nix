import ./data/rel-path.nix
