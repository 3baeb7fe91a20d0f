let __lessThan = a: b: a == 1; in [ (1 < 0) (1 > 0) (1 <= 0) (1 >= 0) ]
