builtins.attrNames (removeAttrs { a = throw "a"; b = throw "b"; c = 1; } [ "c" ])
