let inherit (s) a; s = { a = 2; }; in a
