builtins.substring 0 11 "${./data/hello.txt}"
