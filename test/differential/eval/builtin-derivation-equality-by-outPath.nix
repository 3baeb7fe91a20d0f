let mk = n: derivation { name = n; builder = "/bin/sh"; system = "x86_64-linux"; }; in [ (mk "x" == mk "x") (mk "x" == mk "y") ]
