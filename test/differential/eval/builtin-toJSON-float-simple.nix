builtins.toJSON [ 1.5 0.25 (-2.5) ]
