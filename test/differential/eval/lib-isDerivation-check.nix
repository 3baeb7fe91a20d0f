let
  isDerivation = v: v.type or null == "derivation";
  d = derivation { name = "check"; builder = "/bin/sh"; system = "x86_64-linux"; };
in [ (isDerivation d) (isDerivation { }) (isDerivation { type = "derivation"; }) ]
