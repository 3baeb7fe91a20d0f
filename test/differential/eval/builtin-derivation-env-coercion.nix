let d = derivation { name = "env"; builder = "/bin/sh"; system = "x86_64-linux"; t = true; f = false; n = null; i = 42; l = [ "a" 1 [ "b" ] ]; fl = 1.5; }; in d.drvPath
