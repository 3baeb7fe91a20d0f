# A string where an integer is expected.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.n = mkOption { type = types.int; }; }
    { _file = "good.nix"; n = 1; }
    { _file = "bad.nix"; n = "one"; }
  ];
}).config.n
