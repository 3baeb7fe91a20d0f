builtins.concatStringsSep "/" [ "a" { outPath = "b"; } { __toString = s: "c"; } ]
