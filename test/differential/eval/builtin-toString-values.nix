[ (toString true) (toString false) (toString null) (toString 12) (toString "s") ]
