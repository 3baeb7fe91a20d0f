builtins.match "(a|ab)b?" "ab"
