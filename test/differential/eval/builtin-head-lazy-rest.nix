builtins.head [ 1 (throw "rest") ]
