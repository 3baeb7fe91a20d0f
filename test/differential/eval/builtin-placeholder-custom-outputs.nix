map builtins.placeholder [ "bin" "lib" "man" ]
