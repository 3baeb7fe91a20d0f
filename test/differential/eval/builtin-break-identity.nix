# modern only (builtins.break, since 2.9): identity when no debugger is attached.
builtins.break { a = 1; }
