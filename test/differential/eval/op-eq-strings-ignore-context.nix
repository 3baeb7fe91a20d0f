let p = builtins.toFile "ctx" "data"; in p == builtins.unsafeDiscardStringContext p
