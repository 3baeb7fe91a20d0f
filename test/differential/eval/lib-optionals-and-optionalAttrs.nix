let
  optionals = cond: elems: if cond then elems else [ ];
  optionalAttrs = cond: as: if cond then as else { };
in [ (optionals true [ 1 2 ]) (optionals false [ 3 ]) ((optionalAttrs true { a = 1; }) // (optionalAttrs false { b = 2; })) ]
