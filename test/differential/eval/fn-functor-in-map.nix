let f = { __functor = self: x: x + 1; }; in map f [ 1 2 ]
