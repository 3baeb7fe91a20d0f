let mk = n: { val = n; }; in with mk 7; val
