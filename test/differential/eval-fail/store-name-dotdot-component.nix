# modern: a name that is '.' or '..', or starts with '.-' or '..-', is rejected (2.8 accepted it).
builtins.toFile "..-1" "y"
