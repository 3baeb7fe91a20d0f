scopedImport { toString = x: "shadowed"; x = 1; } ./data/uses-x.nix
