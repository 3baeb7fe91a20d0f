# Undefined container options fail too (their empty value is only used for vanished names).
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules { modules = [ { options.xs = mkOption { type = types.listOf types.int; }; } { xs = lib.mkIf false [ 1 ]; } ]; }).config.xs
