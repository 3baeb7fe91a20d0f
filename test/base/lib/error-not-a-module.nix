# A flake where a module is expected.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ { _type = "flake"; outputs = { }; } ]; }).config
