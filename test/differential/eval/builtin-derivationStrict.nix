builtins.derivationStrict { name = "strict"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" "doc" ]; }
