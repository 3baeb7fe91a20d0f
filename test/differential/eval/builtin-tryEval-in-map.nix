map (x: (builtins.tryEval (if x > 1 then throw "big" else x)).success) [ 1 2 3 ]
