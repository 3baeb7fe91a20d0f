[ (builtins.any (x: x) [ ]) (builtins.all (x: x) [ ]) ]
