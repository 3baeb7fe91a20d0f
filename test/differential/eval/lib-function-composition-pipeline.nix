let
  pipe = builtins.foldl' (x: f: f x);
in pipe 2 [ (x: x + 1) (x: x * 10) toString (s: "result: ${s}") ]
