builtins.listToAttrs [ { name = "a"; value = "first"; } { name = "a"; } ]
