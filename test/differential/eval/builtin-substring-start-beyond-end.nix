[ (builtins.substring 5 1 "hello") (builtins.substring 10 2 "hello") ]
