[ (builtins.parseDrvName "0ad-0.0.26") (builtins.parseDrvName "perl5.36.0-foo-1.2") ]
