# modern (2.17+) keeps the dynamic attribute of the second literal; 2.8 silently dropped it.
{ n = { a = 1; }; n = { ${"b" + ""} = 2; }; }
