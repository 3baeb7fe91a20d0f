# A bad element of a list is reported at its position.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.ports = mkOption { type = types.listOf types.port; }; }
    { _file = "one.nix"; ports = [ 80 ]; }
    { _file = "two.nix"; ports = [ 443 "http" ]; }
  ];
}).config.ports
