{ inherit (builtins) length; }.length [ 1 2 ]
