let f = x: x + 1; s = { a = 1; }; in f s.a
