builtins.typeOf foo/bar.nix
