map builtins.fromJSON [ "null" "true" "false" "42" "-7" "\"s\"" ]
