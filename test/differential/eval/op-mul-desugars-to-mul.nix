let __mul = a: b: [ a b ]; in 2 * 3
