map builtins.typeOf [ 1 1.0 (1 + 1.0) (2 * 3) (7 / 2) (7 / 2.0) ]
