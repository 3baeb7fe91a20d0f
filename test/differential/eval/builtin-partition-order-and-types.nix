builtins.partition builtins.isString [ 1 "a" 2 "b" null ]
