# modern only (builtins.readFileType, since 2.14).
[ (builtins.readFileType ./data/hello.txt) (builtins.readFileType ./data/dir) (builtins.readFileType ./data/dir/link) ]
