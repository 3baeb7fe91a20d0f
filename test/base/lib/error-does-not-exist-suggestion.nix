# Misspelled option with close siblings: the error suggests them.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption; in
(lib.evalModules {
  modules = [
    { options.services.web = { enable = mkOption { default = false; }; enabled2 = mkOption { default = 1; }; port = mkOption { default = 1; }; }; }
    { _file = "conf.nix"; services.web.enabel = true; }
  ];
}).config
