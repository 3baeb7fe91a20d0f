# outputs named type, all or drvAttrs are shadowed by the added attributes of the same name
let d = derivation { name = "x"; builder = "b"; system = "s"; outputs = [ "out" "type" "all" "drvAttrs" ]; };
in [ d.type (builtins.length d.all) (builtins.isList d.all) d.drvAttrs.outputs (builtins.attrNames d) ]
