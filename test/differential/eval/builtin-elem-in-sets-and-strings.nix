[ (builtins.elem { a = 1; } [ { a = 1; } ]) (builtins.elem "x" [ "y" "x" ]) (builtins.elem null [ false ]) ]
