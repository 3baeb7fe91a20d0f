let
  seen = builtins.filterSource (p: t: builtins.trace "${baseNameOf p} ${t}" true) ./data/dir;
in builtins.stringLength seen
