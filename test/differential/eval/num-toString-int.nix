[ (toString 0) (toString 42) (toString (-5)) (toString 9223372036854775807) ]
