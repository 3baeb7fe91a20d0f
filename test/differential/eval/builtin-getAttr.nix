[ (builtins.getAttr "a" { a = 1; }) (builtins.getAttr "x y" { "x y" = 2; }) ]
