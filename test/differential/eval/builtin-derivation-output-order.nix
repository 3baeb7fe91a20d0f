# the first output listed is the result; all keeps the listed order; attrNames are sorted
let d = derivation { name = "x"; builder = "b"; system = "s"; outputs = [ "z" "a" "m" ]; };
in [ d.outputName (map (o: o.outputName) d.all) (builtins.attrNames d) d.a.outputName d.m.z.outputName (d.outPath == d.z.outPath) (d.a.drvPath == d.drvPath) ]
