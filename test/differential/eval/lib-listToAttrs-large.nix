let s = builtins.listToAttrs (builtins.genList (i: { name = "n${toString i}"; value = i * 2; }) 5000); in [ s.n4999 (builtins.length (builtins.attrValues s)) ]
