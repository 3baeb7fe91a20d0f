builtins.fromJSON (builtins.readFile ./data/data.json)
