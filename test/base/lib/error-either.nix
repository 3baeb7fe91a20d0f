# Neither branch of an `either` accepts the value.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.v = mkOption { type = types.either types.int types.str; }; } { _file = "v.nix"; v = true; } ];
}).config.v
