let d = derivation { name = "ctx"; builder = "/bin/sh"; system = "x86_64-linux"; }; in [ (builtins.getContext "${d}") (builtins.getContext d.drvPath) ]
