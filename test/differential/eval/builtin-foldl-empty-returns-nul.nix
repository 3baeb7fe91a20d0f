builtins.foldl' (a: b: throw "not called") "initial" [ ]
