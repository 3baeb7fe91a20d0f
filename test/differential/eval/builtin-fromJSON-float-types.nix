map (s: builtins.typeOf (builtins.fromJSON s)) [ "1" "1.0" "1e2" "-3" ]
