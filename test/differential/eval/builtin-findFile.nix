builtins.findFile [ { prefix = "d"; path = toString ./data; } ] "d/hello.txt"
