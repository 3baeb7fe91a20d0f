let s = "${builtins.toFile "rt" "x"}"; in builtins.getContext (builtins.appendContext (builtins.unsafeDiscardStringContext s) (builtins.getContext s)) == builtins.getContext s
