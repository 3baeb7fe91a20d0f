baseNameOf ./some/file.nix
