[ (false && 1) (true || "x") (false -> null) ]
