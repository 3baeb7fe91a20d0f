builtins.foldl' (a: b: b) (throw "nul not needed") [ 1 2 ]
