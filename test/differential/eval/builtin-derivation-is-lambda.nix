[ (builtins.typeOf builtins.derivation) (builtins.isFunction derivation) (builtins.typeOf (derivation { name = "x"; builder = "b"; system = "s"; })) ]
