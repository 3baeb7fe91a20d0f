let d = derivation { name = "hello"; builder = "/bin/sh"; system = "x86_64-linux"; }; in [ d.drvPath d.outPath d.type d.outputName ]
