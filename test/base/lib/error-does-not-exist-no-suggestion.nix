# Misspelled option with no similar sibling; the definition value spans several lines.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption; in
(lib.evalModules {
  modules = [
    { options.networking.hostName = mkOption { default = "nixos"; }; }
    { _file = "conf.nix"; networking.completelyDifferent = { a = 1; b = [ "x" "y" ]; }; }
  ];
}).config
