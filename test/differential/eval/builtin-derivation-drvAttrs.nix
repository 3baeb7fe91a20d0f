(derivation { name = "da"; builder = "/bin/sh"; system = "x86_64-linux"; custom = "v"; }).drvAttrs
