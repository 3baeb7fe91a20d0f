builtins.attrNames (builtins.mapAttrs (n: v: throw "not called") { x = 1; y = 2; })
