(builtins.unsafeGetAttrPos "b" (import ./data/attrs.nix)).file
