builtins.attrNames { a = throw "value"; b = 1; }
