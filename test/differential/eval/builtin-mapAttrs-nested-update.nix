builtins.mapAttrs (n: v: v // { name = n; }) { x = { v = 1; }; y = { v = 2; }; }
