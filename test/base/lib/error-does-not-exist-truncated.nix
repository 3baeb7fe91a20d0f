# A long definition value is cut after five lines.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ { _file = "long.nix"; long = [ 1 2 3 4 5 6 7 8 ]; } ]; }).config
