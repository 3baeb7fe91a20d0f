map (x: x.i) (builtins.sort (a: b: a.g < b.g) (builtins.genList (i: { g = builtins.bitAnd i 3; inherit i; }) 20))
