# A full-form module with configuration outside `config'.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ { key = "bad"; config.a = 1; options = { }; b = 2; c = 3; } ]; }).config
