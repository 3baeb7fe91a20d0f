builtins.toXML (derivation { name = "xml"; builder = "/bin/sh"; system = "x86_64-linux"; })
