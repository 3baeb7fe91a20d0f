# An untyped option with an int and a string.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption; in
(lib.evalModules { modules = [ { options.v = mkOption { }; } { _file = "a.nix"; v = 1; } { _file = "b.nix"; v = "one"; } ]; }).config.v
