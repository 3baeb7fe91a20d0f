builtins.hasContext (builtins.unsafeDiscardStringContext "${builtins.toFile "d" "x"}")
