[ (builtins.splitVersion "1..2") (builtins.splitVersion "a.b_c") (builtins.splitVersion "") (builtins.splitVersion "2.0pre") ]
