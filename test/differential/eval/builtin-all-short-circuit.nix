builtins.all (x: if x == 1 then false else throw "not reached") [ 1 2 ]
