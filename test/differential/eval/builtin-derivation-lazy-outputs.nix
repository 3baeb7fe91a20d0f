# outputs is only read when the result is forced, and then every output name is
let
  unused = derivation { name = "x"; builder = "b"; system = "s"; outputs = throw "no outputs"; };
  late = derivation { name = "x"; builder = "b"; system = "s"; outputs = [ "out" (throw "late output") ]; };
in [ (builtins.tryEval (builtins.typeOf late)).success (builtins.tryEval late.outputName).success 1 ]
