with { a = 1; }; with { a = 2; b = 3; }; a + b
