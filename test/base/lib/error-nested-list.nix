# A list inside the module list.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ [ { } ] ]; }).config
