# type, name, outputName, drvAttrs and all do not need derivationStrict (system throws)
let d = derivation { name = "x"; builder = "b"; system = throw "no system"; outputs = [ "out" "dev" ]; };
in [ d.name d.type d.outputName d.dev.outputName d.dev.type d.drvAttrs.name (builtins.length d.all) (builtins.typeOf d) ]
