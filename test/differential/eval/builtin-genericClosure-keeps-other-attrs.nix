builtins.genericClosure { startSet = [ { key = 0; name = "root"; } ]; operator = x: [ { key = 0; name = "dup"; } ]; }
