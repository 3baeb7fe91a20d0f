# A definition without a declaration, in an evaluation that declares no options at all.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ { _file = "conf.nix"; services.foo.enable = true; } ]; }).config
