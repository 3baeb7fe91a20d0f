builtins.any (x: if x == 1 then true else throw "not reached") [ 1 2 ]
