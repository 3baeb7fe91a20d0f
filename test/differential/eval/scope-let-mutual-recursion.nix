let a = b + 1; b = 1; in a
