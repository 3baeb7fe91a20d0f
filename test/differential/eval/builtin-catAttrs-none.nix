builtins.catAttrs "z" [ { a = 1; } { } ]
