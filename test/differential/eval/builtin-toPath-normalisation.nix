[ (builtins.toPath "/a/b/./c/") (builtins.toPath "/..") (builtins.toPath "/a/../../b") ]
