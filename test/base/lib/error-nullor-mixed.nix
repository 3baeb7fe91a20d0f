# nullOr with one null and one non-null definition.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.v = mkOption { type = types.nullOr (types.listOf types.int); }; }
    { _file = "null.nix"; v = null; }
    { _file = "list.nix"; v = [ 1 ]; }
  ];
}).config.v
