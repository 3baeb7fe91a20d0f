# the user's attributes keep their positions in every output set and in drvAttrs
let d = derivation { name = "x"; builder = "b"; system = "s"; outputs = [ "out" "dev" ]; };
in [ (builtins.unsafeGetAttrPos "name" d) (builtins.unsafeGetAttrPos "system" d.dev) (builtins.unsafeGetAttrPos "builder" d.drvAttrs) ]
