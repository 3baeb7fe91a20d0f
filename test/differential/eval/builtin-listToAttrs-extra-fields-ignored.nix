builtins.listToAttrs [ { name = "k"; value = "v"; other = throw "ignored"; } ]
