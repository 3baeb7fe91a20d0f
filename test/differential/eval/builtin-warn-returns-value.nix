# modern only (builtins.warn, since 2.23): prints a warning on stderr and returns its second argument.
builtins.warn "a warning" 42
