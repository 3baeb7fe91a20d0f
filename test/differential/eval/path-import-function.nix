import ./data/lib-add.nix 1 2
