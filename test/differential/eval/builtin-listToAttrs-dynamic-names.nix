builtins.listToAttrs (map (i: { name = "n${toString i}"; value = i; }) [ 3 1 2 ])
