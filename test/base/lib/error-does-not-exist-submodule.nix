# Inside a submodule that declares nothing: the hint about options under `config'.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.sub = mkOption { type = types.submodule { config.x = 1; }; default = { }; }; }
  ];
}).config.sub
