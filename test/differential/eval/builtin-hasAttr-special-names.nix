[ (builtins.hasAttr "or" { or = 1; }) (builtins.hasAttr "a b" { "a b" = 1; }) (builtins.hasAttr "a" { a = throw "value not forced"; }) ]
