let d = derivation { name = "src"; builder = "/bin/sh"; system = "x86_64-linux"; src = ./data/hello.txt; }; in [ d.drvPath d.src ]
