# A bad value inside an attrsOf is reported at its name.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.env = mkOption { type = types.attrsOf types.str; }; } { _file = "e.nix"; env."MY VAR" = 1; } ];
}).config.env
