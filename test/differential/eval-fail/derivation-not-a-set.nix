derivation "x"
