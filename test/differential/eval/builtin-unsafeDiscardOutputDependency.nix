let d = derivation { name = "od"; builder = "/bin/sh"; system = "x86_64-linux"; }; in builtins.getContext (builtins.unsafeDiscardOutputDependency d.drvPath)
