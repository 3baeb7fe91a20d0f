builtins.toXML { list = [ { x = 1; } [ 2 ] ]; }
