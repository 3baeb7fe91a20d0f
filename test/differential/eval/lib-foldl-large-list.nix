builtins.foldl' (acc: x: acc + x * x) 0 (builtins.genList (i: i) 20000)
