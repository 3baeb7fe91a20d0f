# Naive doubly-recursive Fibonacci: ~250,000 function calls, integer arithmetic and comparisons.
let
  fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2);
in
fib 25
