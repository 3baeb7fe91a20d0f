# modern: integers above 2^63-1 are rejected; 2.8 wrapped them to negative numbers.
builtins.fromJSON "18446744073709551615"
