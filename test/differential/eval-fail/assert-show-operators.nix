let a = 1; b = 2; in assert a < b && b < a; "unreachable"
