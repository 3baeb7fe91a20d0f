# Reading an option that has neither a default nor a definition.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules { modules = [ { options.fileSystems.root.device = mkOption { type = types.str; }; } ]; }).config.fileSystems.root.device
