builtins.groupBy (x: throw "not called") [ ]
