let a = builtins.toFile "a" "1"; b = builtins.toFile "b" "2"; in builtins.attrNames (builtins.getContext "${a} ${b} ${a}")
