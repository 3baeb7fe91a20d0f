let d = derivation { name = "a"; builder = "/bin/sh"; system = "x86_64-linux"; args = [ "-c" "true" ]; extra = [ 1 true null ]; }; in builtins.attrNames d
