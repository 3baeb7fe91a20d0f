let v = { a = [ 1 "x" null true { b = -3; } ]; "c d" = "é"; }; in builtins.fromJSON (builtins.toJSON v) == v
