# A list of one or two elements is kept inside the value in Nix: each selection (a thunk) holding it is a different list, so it is «repeated» only where the same thunk is met again.
let a = { l = [ a ]; }; l = [ 1 ]; s = { inherit l; }; in [ [ a.l a.l ] { x = a.l; y = a.l; } [ s.l s.l s s ] (builtins.attrValues { a = l; b = l; }) ([ l ] ++ [ l ]) ]
