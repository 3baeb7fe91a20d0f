[ (builtins.floor 1.0e15) (builtins.ceil (-1.0e15)) ]
