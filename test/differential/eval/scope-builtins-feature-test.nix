[ (builtins ? map) (builtins ? noSuchBuiltin) (builtins ? genericClosure) ]
