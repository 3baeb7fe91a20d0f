[ (builtins.mul 6 7) (builtins.mul 2 0.25) (builtins.mul (-3) 3) ]
