builtins.match "(a*)*" "aa"
