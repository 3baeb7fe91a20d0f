let p = builtins.unsafeDiscardStringContext (builtins.toFile "ap" "x"); in builtins.getContext (builtins.appendContext "text" { ${p} = { path = true; }; })
