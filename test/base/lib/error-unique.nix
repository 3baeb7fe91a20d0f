# `uniq` accepts a single definition only.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption types; in
(lib.evalModules {
  modules = [
    { options.once = mkOption { type = types.uniq types.int; }; }
    { _file = "a.nix"; once = 1; }
    { _file = "b.nix"; once = 1; }
  ];
}).config.once
