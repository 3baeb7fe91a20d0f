let
  counter = start: { value = start; __functor = self: n: counter (self.value + n); };
in ((counter 1) 2 3 4).value
