builtins.stringLength (builtins.foldl' (acc: i: acc + toString i) "" (builtins.genList (i: i) 3000))
