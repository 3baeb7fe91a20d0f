builtins.findFile [ { prefix = "d"; path = "/nonexistent"; } { prefix = "d"; path = toString ./data/dir; } ] "d/a.txt"
