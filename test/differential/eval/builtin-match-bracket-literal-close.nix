[ (builtins.match "[]a]+" "]a]") (builtins.match "[^]a]+" "bc") ]
