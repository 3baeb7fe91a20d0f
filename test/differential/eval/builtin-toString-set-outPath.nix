toString { outPath = "/path/out"; }
