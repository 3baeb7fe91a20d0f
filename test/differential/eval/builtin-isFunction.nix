[ (builtins.isFunction (x: x)) (builtins.isFunction map) (builtins.isFunction (map (x: x))) (builtins.isFunction { }) (builtins.isFunction 1) ]
