let s = { f = x: x; }; in s == s
