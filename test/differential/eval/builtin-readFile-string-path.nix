builtins.readFile "${toString ./data/dir}/sub/b.txt"
