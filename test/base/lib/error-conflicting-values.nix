# Two different plain definitions of a `str` option.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.name = mkOption { type = types.str; }; }
    { _file = "a.nix"; name = "alpha"; }
    { _file = "b.nix"; name = "beta"; }
  ];
}).config.name
