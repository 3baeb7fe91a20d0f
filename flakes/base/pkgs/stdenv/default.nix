# base's stdenv: busybox (and the coreutils shim) on PATH, ./setup.sh as the build library and
# `mkDerivation` with nixpkgs' interface (phases, hooks, inputs, outputs, passthru, meta,
# overrideAttrs with `final: prev:` or `prev:` functions, `finalAttrs:` arguments).
{ lib, system, busybox, coreutils }:
let
  inherit (builtins) isFunction head listToAttrs removeAttrs;

  shell = "${busybox}/bin/sh";
  initialPath = [ coreutils busybox ];

  platform = {
    inherit system;
    isLinux = lib.hasSuffix "-linux" system;
    isDarwin = lib.hasSuffix "-darwin" system;
    isx86_64 = lib.hasPrefix "x86_64-" system;
    isAarch64 = lib.hasPrefix "aarch64-" system;
    is64bit = lib.hasPrefix "x86_64-" system || lib.hasPrefix "aarch64-" system;
    isStatic = true;
    config = "${builtins.head (lib.splitString "-" system)}-unknown-linux-musl";
    canExecute = other: other.system or other == system;
  };

  # The derivation holding `setup`: `source $stdenv/setup` in a builder of your own.
  stdenvDrv = derivation {
    name = "stdenv-base";
    inherit system;
    builder = shell;
    args = [
      "-e"
      "-c"
      ''
        mkdir -p "$out"
        {
          echo "initialPath=\"$initialPath\""
          echo "initialShell=\"$initialShell\""
          cat "$setupScript"
        } > "$out/setup"
      ''
    ];
    setupScript = ./setup.sh;
    initialShell = shell;
    inherit initialPath;
  };

  defaultBuilder = ./default-builder.sh;

  # Gives every output of `drv` the attributes `extra` (passthru, meta, overrideAttrs …), so
  # that `pkg.dev.meta` works like `pkg.meta`.
  extendOutputs = drv: extra:
    let
      names = drv.outputs or [ "out" ];
      output = name: common // {
        inherit (drv.${name}) outPath drvPath type outputName;
        outputSpecified = true;
      };
      common = drv // extra
        // listToAttrs (map (name: { inherit name; value = output name; }) names)
        // { all = map output names; };
    in common;

  # The argument of overrideAttrs: `{ … }`, `prev: { … }` or `final: prev: { … }`.
  attrsOverlay = f: final: prev:
    if !isFunction f then f
    else
      let applied = f prev; in
      if isFunction applied then f final prev else applied;

  # Attributes consumed here, not passed to `derivation`.
  notForDerivation = [ "passthru" "meta" "env" "realBuilder" "pos" ];

  build = attrs: overrideAttrs:
    let
      pname = attrs.pname or null;
      version = attrs.version or null;
      name = attrs.name or (
        if pname == null then throw "stdenv.mkDerivation: give `name`, or `pname` (and `version`)"
        else if version == null then pname
        else "${pname}-${version}");
      outputs = attrs.outputs or [ "out" ];
      passthru = attrs.passthru or { };
      meta = {
        inherit name;
        outputsToInstall = [ (head outputs) ];
        available = true;
      } // (attrs.meta or { });
      given = removeAttrs attrs notForDerivation // (attrs.env or { });
      drvAttrs = lib.filterAttrs (_: v: v != null) given // {
        inherit name outputs;
        system = attrs.system or system;
        builder = attrs.realBuilder or shell;
        args = attrs.args or [ "-e" (attrs.builder or defaultBuilder) ];
        stdenv = stdenvDrv;
      };
    in
    extendOutputs (derivation drvAttrs) (passthru // { inherit meta passthru overrideAttrs; });

  # `mkDerivation attrs` or `mkDerivation (finalAttrs: attrs)`; overrideAttrs layers functions
  # on the attribute function and re-closes the fixed point.
  extensible = rattrs:
    let
      final = rattrs (final // { inherit finalPackage; });
      finalPackage = build final overrideAttrs;
      overrideAttrs = f:
        extensible (self: let prev = rattrs self; in prev // attrsOverlay f self prev);
    in finalPackage;

  mkDerivation = arg:
    extensible (if isFunction arg then arg else _: arg);

  stdenv = stdenvDrv // {
    inherit mkDerivation shell initialPath system;
    hostPlatform = platform;
    buildPlatform = platform;
    targetPlatform = platform;
    inherit (platform) isLinux isDarwin isx86_64 isAarch64;
    cc = null;
    hasCC = false;
    isBase = true;
    setup = "${stdenvDrv}/setup";
    meta = {
      description = "The base package set's build environment: busybox tools and a phase-based generic builder";
    };
  };
in
stdenv
