builtins.intersectAttrs { a = "fromA"; b = 0; } { a = "fromB"; c = 3; }
