builtins.fromJSON "  \n [ 1 , 2 ]  \t"
