# mkAssert with a false assertion.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [ { options.s = mkOption { type = types.str; default = "d"; }; } { s = lib.mkAssert false "s must not be set here" "x"; } ];
}).config.s
