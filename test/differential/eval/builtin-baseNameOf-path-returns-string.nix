builtins.typeOf (baseNameOf ./x/y)
