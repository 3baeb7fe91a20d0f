let __equal = a: b: true; in 1 == 2
