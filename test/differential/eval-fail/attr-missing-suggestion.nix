{ foo = 1; foa = 2; }.fob
