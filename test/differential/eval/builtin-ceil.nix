[ (builtins.ceil 1.5) (builtins.ceil (-1.5)) (builtins.ceil 2.0) (builtins.ceil 0.001) ]
