# A read-only option with a default and a definition.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { _file = "decl.nix"; options.release = mkOption { type = types.str; default = "25.11"; readOnly = true; }; }
    { _file = "user.nix"; release = "20.03"; }
  ];
}).config.release
