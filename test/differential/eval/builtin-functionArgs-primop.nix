[ (builtins.functionArgs map) (builtins.functionArgs (map (x: x))) ]
