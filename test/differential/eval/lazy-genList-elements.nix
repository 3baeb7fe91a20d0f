builtins.length (builtins.genList (i: throw "not forced") 5)
