let s = { x.y = 1; }; p = builtins.unsafeGetAttrPos "y" s.x; in [ p.line p.column ]
