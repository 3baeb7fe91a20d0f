# modern only (builtins.addDrvOutputDependencies, since 2.19).
let d = derivation { name = "adod"; builder = "/bin/sh"; system = "x86_64-linux"; }; in builtins.attrValues (builtins.getContext (builtins.addDrvOutputDependencies (builtins.unsafeDiscardOutputDependency d.drvPath)))
