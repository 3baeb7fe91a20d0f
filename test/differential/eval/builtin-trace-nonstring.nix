builtins.trace { a = 1; } [ "v" ]
