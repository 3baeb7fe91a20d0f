[ (builtins.length [ ]) (builtins.length [ 1 2 3 ]) (builtins.length [ [ 1 2 ] ]) ]
