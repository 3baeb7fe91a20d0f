# A type where an option declaration belongs.
let lib = import ../../../flakes/base/lib; inherit (lib) types; in
(lib.evalModules { modules = [ { _file = "decl.nix"; options.x = types.int; } ]; }).config.x
