# A package option defined twice.
let
  lib = import ../../../flakes/base/lib; inherit (lib) mkOption types;
  drv = name: { type = "derivation"; inherit name; outPath = "${builtins.storeDir}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-${name}"; };
in
(lib.evalModules {
  modules = [
    { options.pkg = mkOption { type = types.package; }; }
    { _file = "a.nix"; pkg = drv "hello-1.0"; }
    { _file = "b.nix"; pkg = drv "hello-2.0"; }
  ];
}).config.pkg
