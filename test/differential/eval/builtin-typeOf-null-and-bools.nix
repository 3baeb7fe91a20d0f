map builtins.typeOf [ null true false ]
