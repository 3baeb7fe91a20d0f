builtins.seq { a = throw "not forced"; } "fine"
