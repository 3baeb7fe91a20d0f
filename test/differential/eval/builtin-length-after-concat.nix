builtins.length ([ 1 2 ] ++ builtins.genList (x: x) 10 ++ [ ])
