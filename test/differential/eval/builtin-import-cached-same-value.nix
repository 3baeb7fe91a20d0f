let a = import ./data/attrs.nix; b = import ./data/attrs.nix; in a == b
