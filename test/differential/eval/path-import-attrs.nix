import ./data/attrs.nix
