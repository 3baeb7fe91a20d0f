[ (builtins.parseDrvName "hello") (builtins.parseDrvName "foo-") ]
