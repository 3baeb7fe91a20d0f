builtins.sort (a: b: throw "not called") [ 1 ]
