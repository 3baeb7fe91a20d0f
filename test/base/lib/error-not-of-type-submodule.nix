# A string definition of a submodule option.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.users = mkOption { type = types.attrsOf (types.submodule { options.uid = mkOption { type = types.int; }; }); }; }
    { _file = "u.nix"; users.alice = "not a set"; }
  ];
}).config.users
