# The base package set: `import ./pkgs { }` like `import <nixpkgs> { }`.
#   system    the platform to build for (only Linux, where the host's static busybox runs)
#   overlays  `final: prev: { … }` functions applied in order on top of the set
#   config    options: `bootstrapBusybox = { url; sha256; }` replaces the pin of ../bootstrap.json
#             (an attribute set, or a function of { pkgs, lib } giving one)
{ system ? builtins.currentSystem or "x86_64-linux"
, overlays ? [ ]
, config ? { }
, crossSystem ? null
}:
let
  lib = import ../lib;

  bootstrapLock = (builtins.fromJSON (builtins.readFile ../bootstrap.json)).busybox;

  checkedOverlays =
    if !builtins.isList overlays then throw "base: `overlays` must be a list of functions `final: prev: { … }`"
    else map
      (o: if lib.isFunction o then o else throw "base: an overlay is a function `final: prev: { … }`, not a ${builtins.typeOf o}")
      overlays;

  finalConfig =
    if lib.isFunction config then config { inherit pkgs lib; }
    else if builtins.isAttrs config then config
    else throw "base: `config` must be an attribute set";

  args = { inherit system overlays config; };

  base = final:
    import ./top-level.nix { inherit lib system bootstrapLock; config = finalConfig; } final
    // {
      # Re-import with more overlays (nixpkgs' pkgs.extend and pkgs.appendOverlays).
      extend = overlay: import ./. (args // { overlays = overlays ++ [ overlay ]; });
      appendOverlays = more: if more == [ ] then final else import ./. (args // { overlays = overlays ++ more; });
      overlays = checkedOverlays;
    };

  pkgs =
    if crossSystem != null && crossSystem != system && (crossSystem.system or null) != system then
      throw "base: cross-compilation is not supported"
    else lib.fix (builtins.foldl' (acc: overlay: lib.extends overlay acc) base checkedOverlays);
in
pkgs
