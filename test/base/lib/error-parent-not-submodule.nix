# Sub-options declared under an option whose type is not a submodule.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { _file = "decl.nix"; options.users = mkOption { type = types.attrsOf types.str; }; }
    { _file = "extra.nix"; options.users.alice = mkOption { type = types.str; }; options.users.bob.x = mkOption { }; }
  ];
}).config.users
