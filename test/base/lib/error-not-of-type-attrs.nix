# A list definition of an attrsOf option.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.env = mkOption { type = types.attrsOf types.str; }; } { _file = "e.nix"; env = [ "A=1" ]; } ];
}).config.env
