[ (true || false && false) (false && true || true) (false && false || false) ]
