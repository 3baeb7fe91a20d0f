builtins.findFile [ { prefix = "x"; path = "/nonexistent"; } { prefix = ""; path = toString ./data; } ] "pkgdir/default.nix"
