let
  dep = derivation { name = "dep"; builder = "/bin/sh"; system = "x86_64-linux"; };
  top = derivation { name = "top"; builder = "/bin/sh"; system = "x86_64-linux"; input = dep; args = [ "${dep}/bin" ]; };
in [ top.drvPath top.outPath ]
