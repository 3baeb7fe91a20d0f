# `default` and mkOptionDefault have the same priority: two definitions of an int.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { _file = "decl.nix"; options.n = mkOption { type = types.int; default = 4; }; }
    { _file = "def.nix"; n = lib.mkOptionDefault 5; }
  ];
}).config.n
