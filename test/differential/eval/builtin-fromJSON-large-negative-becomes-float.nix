builtins.typeOf (builtins.fromJSON "-9223372036854775809")
