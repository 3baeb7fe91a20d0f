builtins.attrNames (removeAttrs { a = throw "a"; b = throw "b"; } [ "a" ])
