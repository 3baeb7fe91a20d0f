let d = derivation { name = "structured"; builder = "/bin/sh"; system = "x86_64-linux"; __structuredAttrs = true; nested = { a = [ 1 2 ]; }; }; in d.drvPath
