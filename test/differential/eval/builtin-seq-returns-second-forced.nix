builtins.seq null { a = 1; }
