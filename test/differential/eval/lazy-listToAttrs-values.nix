builtins.attrNames (builtins.listToAttrs [ { name = "k"; value = throw "v"; } ])
