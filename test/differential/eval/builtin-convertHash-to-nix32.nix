# modern only (builtins.convertHash, since 2.19); expected values computed independently.
builtins.convertHash { hash = "sha1:aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"; toHashFormat = "nix32"; }
