map (x: x.key) (builtins.genericClosure { startSet = [ { key = [ 1 "a" ]; } ]; operator = x: [ { key = [ 1 "a" ]; } { key = [ 1 "b" ]; } ]; })
