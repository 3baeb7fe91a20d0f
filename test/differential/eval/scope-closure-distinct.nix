let mk = n: (m: n + m); in [ (mk 1 1) (mk 10 1) ]
