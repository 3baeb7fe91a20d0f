builtins.hashString "sha1" (builtins.toFile "h" "x") == builtins.hashString "sha1" (builtins.unsafeDiscardStringContext (builtins.toFile "h" "x"))
