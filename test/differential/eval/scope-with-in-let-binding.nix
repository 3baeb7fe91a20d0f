let s = { v = 5; }; x = with s; v; in x
