with { map = "shadowed?"; }; map (x: x + 1) [ 1 ]
