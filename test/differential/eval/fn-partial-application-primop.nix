let add1 = builtins.add 1; in [ (add1 2) (add1 10) ]
