map (x: x.key) (builtins.genericClosure { startSet = [ { key = 1; } { key = 1.0; } { key = 2.0; } ]; operator = x: [ ]; })
