let d = derivation { name = "t"; builder = "/bin/sh"; system = "x86_64-linux"; }; in [ (builtins.isAttrs d) (builtins.typeOf d) (builtins.isString d.outPath) ]
