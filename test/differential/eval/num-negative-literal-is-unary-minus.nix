let x = 3; in [ (-x) (0-x) (-x * 2) ]
