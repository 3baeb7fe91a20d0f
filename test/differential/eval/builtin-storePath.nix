let p = builtins.toFile "sp" "content"; in builtins.getContext (builtins.storePath p)
