scopedImport { x = 21; } ./data/uses-x.nix
