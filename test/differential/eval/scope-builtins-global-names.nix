[ (builtins.isFunction map) (builtins.isFunction toString) (builtins.isFunction removeAttrs) (builtins.isFunction baseNameOf) (builtins.isFunction import) (builtins.isFunction isNull) ]
