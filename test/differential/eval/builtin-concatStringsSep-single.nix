builtins.concatStringsSep "sep" [ "only" ]
