let
  d1 = { type = "derivation"; outPath = "/x"; extra = 1; };
  d2 = { type = "derivation"; outPath = "/x"; extra = 2; };
  d3 = { type = "derivation"; outPath = "/y"; extra = 1; };
in [ (d1 == d2) (d1 == d3) ]
