# disabledModules entries that are sets need a key.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ { _file = "d.nix"; disabledModules = [ { } ]; } ]; }).config
