# Two declarations with types that cannot be merged.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { _file = "one.nix"; options.x = mkOption { type = types.int; }; }
    { _file = "two.nix"; options.x = mkOption { type = types.str; }; }
  ];
}).config.x
