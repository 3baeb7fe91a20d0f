# Not one of the enum's values.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.mode = mkOption { type = types.enum [ "fast" "slow" ]; }; } { _file = "m.nix"; mode = "medium"; } ];
}).config.mode
