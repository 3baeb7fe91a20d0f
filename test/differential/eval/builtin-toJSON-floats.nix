# modern (2.12+) prints floats in shortest round-trip form; 2.8 used %g.
builtins.toJSON [ 1.5 0.1 (0.1 + 0.2) 1.0 123456789.0 1.0e-5 1.0e15 1.0e14 0.0001 (0.0 * -1) ]
