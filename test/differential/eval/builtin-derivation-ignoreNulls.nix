let d = derivation { name = "nulls"; builder = "/bin/sh"; system = "x86_64-linux"; __ignoreNulls = true; gone = null; }; in d.drvPath
