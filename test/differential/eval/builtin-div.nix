[ (builtins.div 7 2) (builtins.div (-7) 2) (builtins.div 7 2.0) (builtins.div 1.0 8) ]
