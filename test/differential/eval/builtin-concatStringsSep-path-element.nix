builtins.substring 0 11 (builtins.concatStringsSep "" [ ./data/hello.txt ])
