builtins.toJSON { outPath = "/the/out"; ignored = 1; }
