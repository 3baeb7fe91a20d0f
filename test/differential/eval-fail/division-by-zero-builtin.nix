builtins.div 5 0
