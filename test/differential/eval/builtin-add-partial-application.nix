let add5 = builtins.add 5; in map add5 [ 1 2 3 ]
