let f = { __functor = self: a: b: a * b + self.k; k = 1; }; in f 3 4
