builtins.length (builtins.attrNames (builtins.getContext (builtins.concatStringsSep " " [ (builtins.toFile "x" "1") (builtins.toFile "y" "2") ])))
