[ (builtins.toPath "/a/../b") (builtins.toPath "/x//y/") (builtins.typeOf (builtins.toPath "/a")) ]
