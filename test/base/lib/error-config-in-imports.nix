# Using config to compute imports recurses forever.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption; in
(lib.evalModules { modules = [ { options.x = mkOption { default = [ ]; }; } ({ config, ... }: { imports = config.x; }) ]; }).config.x
