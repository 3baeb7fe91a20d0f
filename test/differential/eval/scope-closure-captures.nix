let mk = n: (m: n + m); add2 = mk 2; in add2 5
