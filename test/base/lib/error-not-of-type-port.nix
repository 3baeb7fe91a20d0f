# Out of range for a port.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.port = mkOption { type = types.port; }; } { _file = "p.nix"; port = 70000; } ];
}).config.port
