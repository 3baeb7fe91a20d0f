map builtins.fromJSON [ "1.5" "1.0" "1e3" "-0.5" "2.5E-1" ]
