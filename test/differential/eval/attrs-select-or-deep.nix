let s = { a = { b = 1; }; }; in [ (s.a.b or 0) (s.a.c or 0) (s.x.y.z or 0) ]
