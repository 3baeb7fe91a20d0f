builtins.toJSON { a = { b = { c = [ 1 { d = "e"; } ]; }; }; }
