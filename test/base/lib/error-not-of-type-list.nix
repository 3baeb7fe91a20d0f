# A non-list definition of a listOf option.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.ports = mkOption { type = types.listOf types.port; }; } { _file = "l.nix"; ports = 80; } ];
}).config.ports
