baseNameOf ../eval/path-parent-of-dir.nix
