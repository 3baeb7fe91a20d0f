[ (builtins.match "[[:digit:]]+" "123") (builtins.match "[[:alpha:]]+" "abc") (builtins.match "[[:space:]]*" " \t") (builtins.match "[[:upper:]]" "a") ]
