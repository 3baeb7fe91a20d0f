# A definition whose value fails to print is listed without a value.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ { _file = "t.nix"; broken = throw "cannot print"; } ]; }).config
