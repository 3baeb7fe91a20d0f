let x = 1; in rec { a = x; x = 2; }
