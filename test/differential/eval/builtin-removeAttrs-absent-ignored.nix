removeAttrs { a = 1; } [ "x" "y" "a" "a" ]
