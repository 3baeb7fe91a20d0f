# mkIf with a condition that is not a Boolean.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.s = mkOption { type = types.str; default = "d"; }; } { s = lib.mkIf "yes" "x"; } ];
}).config.s
