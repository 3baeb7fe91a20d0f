map builtins.typeOf [ (x: x) map (map (x: x)) builtins.add (builtins.add 1) ]
