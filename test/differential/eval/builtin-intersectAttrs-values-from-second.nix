builtins.attrNames (builtins.intersectAttrs { a = throw "not forced"; b = 1; c = 2; } { b = 3; c = 4; d = 5; })
