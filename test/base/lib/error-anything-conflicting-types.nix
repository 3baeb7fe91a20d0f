# `anything` with a set and a list.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.v = mkOption { type = types.anything; }; } { _file = "a.nix"; v.x = { y = 1; }; } { _file = "b.nix"; v.x = [ 1 ]; } ];
}).config.v
