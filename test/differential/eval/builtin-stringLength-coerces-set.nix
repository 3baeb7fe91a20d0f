builtins.stringLength { __toString = s: "four"; }
