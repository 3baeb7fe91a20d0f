# modern: sort returns an empty list without forcing the comparator (2.8 checked it first).
builtins.sort 1 [ ]
