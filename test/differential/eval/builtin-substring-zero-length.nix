builtins.substring 1 0 "hello"
