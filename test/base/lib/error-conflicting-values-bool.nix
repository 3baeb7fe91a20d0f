# Conflicting booleans, one of them via mkIf.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.flag = mkOption { type = types.bool; default = false; }; }
    { _file = "a.nix"; flag = true; }
    { _file = "b.nix"; flag = lib.mkIf true false; }
  ];
}).config.flag
