# modern: map forces its function argument when the list is non-empty; 2.8 did not.
builtins.length (map 1 [ 1 ])
