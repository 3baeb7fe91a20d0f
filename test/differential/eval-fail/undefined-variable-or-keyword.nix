(x: x) or
