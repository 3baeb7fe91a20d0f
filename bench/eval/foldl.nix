# builtins.foldl' over a generated list of 10^6 integers (strict accumulator).
let
  n = 1000000;
  xs = builtins.genList (i: i) n;
in
{
  sum = builtins.foldl' (acc: x: acc + x) 0 xs;
  # A second fold with a slightly heavier step: a running maximum of a mixed expression.
  max = builtins.foldl' (acc: x: let y = x * 7 - (x / 3) * 5; in if y > acc then y else acc) 0 xs;
}
