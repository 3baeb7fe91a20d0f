builtins.split "[a" "x"
