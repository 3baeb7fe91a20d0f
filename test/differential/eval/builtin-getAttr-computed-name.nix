let names = [ "x" "y" ]; s = { x = 1; y = 2; }; in map (n: builtins.getAttr n s) names
