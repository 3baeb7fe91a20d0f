builtins.attrValues (builtins.getContext (builtins.path { path = ./data/hello.txt; }))
