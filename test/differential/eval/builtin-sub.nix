[ (builtins.sub 10 3) (builtins.sub 1.5 1) (builtins.sub 0 5) ]
