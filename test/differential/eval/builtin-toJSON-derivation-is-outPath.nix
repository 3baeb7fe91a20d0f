builtins.toJSON (derivation { name = "j"; builder = "/bin/sh"; system = "x86_64-linux"; })
