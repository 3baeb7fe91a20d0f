[ (builtins.toJSON null) (builtins.toJSON true) (builtins.toJSON false) (builtins.toJSON 42) (builtins.toJSON (-7)) (builtins.toJSON "s") ]
