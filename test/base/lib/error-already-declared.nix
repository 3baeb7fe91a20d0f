# Two declarations that both give a default.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { _file = "one.nix"; options.x = mkOption { type = types.int; default = 1; }; }
    { _file = "two.nix"; options.x = mkOption { type = types.int; description = "ok"; }; }
    { _file = "three.nix"; options.x = mkOption { type = types.int; default = 3; }; }
  ];
}).config.x
