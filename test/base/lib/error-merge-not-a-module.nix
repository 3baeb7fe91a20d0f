# mkMerge is not a module (mkIf and mkOverride are).
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ (lib.mkMerge [ { } ]) ]; }).config
