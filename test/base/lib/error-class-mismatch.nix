# A module of another class.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { class = "nixos"; modules = [ { _file = "darwin.nix"; _class = "darwin"; } ]; }).config
