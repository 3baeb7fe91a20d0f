builtins.toJSON { a = [ [ ] { } null ]; "" = ""; }
