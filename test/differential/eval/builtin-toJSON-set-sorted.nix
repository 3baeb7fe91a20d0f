builtins.toJSON { b = 1; a = [ true ]; "" = null; }
