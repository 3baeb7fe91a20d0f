# a large argument set (built by listToAttrs and //): names sorted, values and positions kept
let
  base = { name = "x"; builder = "b"; system = "s"; outputs = [ "b" "a" ]; };
  many = builtins.listToAttrs (builtins.genList (i: { name = "k${toString (100 - i)}"; value = i; }) 100);
  d = derivation (base // many);
in [ (builtins.attrNames d.a) d.k5 d.a.k100 d.outputName (builtins.length (builtins.attrValues d.b)) (builtins.unsafeGetAttrPos "system" d.a) ]
