rec { a = 1; b = let a = 10; in a; }
