# The base package set: `import ./pkgs { }` like `import <nixpkgs> { }`.
#   system    the platform to build for (only Linux, where the host's static busybox runs);
#             `localSystem` (a system string or { system; }) is accepted instead, as in nixpkgs
#   overlays  `final: prev: { … }` functions applied in order on top of the set
#   config    options: `bootstrapBusybox = { url; sha256; }` replaces the pin of ../bootstrap.json
#             (an attribute set, or a function of { pkgs, lib } giving one)
{ localSystem ? null
, system ? if localSystem == null then builtins.currentSystem or "x86_64-linux"
    else if builtins.isString localSystem then localSystem else localSystem.system
, overlays ? [ ]
, crossOverlays ? [ ]
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

  # config.packageOverrides (pkgs: { … }), the older way to change packages: applied, as in
  # nixpkgs, before the overlays, to the set without them.
  configOverrides = lib.optional (finalConfig ? packageOverrides)
    (final: prev:
      if lib.isFunction finalConfig.packageOverrides then finalConfig.packageOverrides prev
      else throw "base: config.packageOverrides must be a function `pkgs: { … }`");

  crossSystemName = if crossSystem == null then null
    else if builtins.isString crossSystem then crossSystem else crossSystem.system or null;

  base = final:
    import ./top-level.nix { inherit lib system bootstrapLock; config = finalConfig; } final
    // {
      # Re-import with more overlays (nixpkgs' pkgs.extend and pkgs.appendOverlays).
      extend = overlay: import ./. (args // { overlays = overlays ++ [ overlay ]; });
      appendOverlays = more: if more == [ ] then final else import ./. (args // { overlays = overlays ++ more; });
      overlays = checkedOverlays;
    };

  pkgs =
    if crossSystem != null && crossSystemName != system then
      throw "base: cross-compilation is not supported (crossSystem ${builtins.toJSON crossSystemName} differs from system ${builtins.toJSON system}); base builds only for the host's platform"
    else if crossOverlays != [ ] && crossSystem == null then
      throw "base: crossOverlays apply only to cross-compilation, which base does not support; use `overlays`"
    else lib.fix (builtins.foldl' (acc: overlay: lib.extends overlay acc) base (configOverrides ++ checkedOverlays));
in
pkgs
