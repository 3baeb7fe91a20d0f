[ (builtins.floor 3) (builtins.ceil (-4)) (builtins.typeOf (builtins.floor 3)) (builtins.typeOf (builtins.ceil 1.5)) ]
