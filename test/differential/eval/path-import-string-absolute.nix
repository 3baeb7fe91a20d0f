(import "${toString ./data/attrs.nix}").b
