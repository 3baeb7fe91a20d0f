builtins.fromTOML (builtins.readFile ./data/data.toml)
