let f = x:x; in builtins.typeOf f
