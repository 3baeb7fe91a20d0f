# The first layer of the package set, a function of the final set (`final`); the overlays of
# ./default.nix go on top of it.
{ lib, system, config, bootstrapLock }:
final:
let
  callPackage = lib.callPackageWith final;

  boot = import ./bootstrap.nix {
    inherit system;
    pin = final.bootstrapBusyboxPin;
  };

  tools = import ./tools {
    inherit lib system;
    inherit (final) busybox;
  };

  trivial = import ./build-support/trivial-builders.nix {
    inherit lib;
    inherit (final) stdenv runtimeShell;
  };
in
trivial // tools // {
  # The set itself and how it was made.
  pkgs = final;
  inherit lib config system;
  # The source of the base flake, like nixpkgs' `pkgs.path`.
  path = ../.;
  buildPlatform = final.stdenv.buildPlatform;
  hostPlatform = final.stdenv.hostPlatform;
  targetPlatform = final.stdenv.targetPlatform;
  inherit callPackage;
  newScope = extra: lib.callPackageWith (final // extra);
  callPackages = lib.callPackagesWith final;

  # Bootstrap: ../bootstrap.json, overridden by config.bootstrapBusybox, or by an overlay
  # setting bootstrapBusyboxPin.
  bootstrapBusyboxPin = bootstrapLock // (config.bootstrapBusybox or { });
  inherit (boot) bootstrapBusybox busybox;

  stdenv = import ./stdenv {
    inherit lib system;
    inherit (final) busybox coreutils;
  };
  stdenvNoCC = final.stdenv;
  runtimeShell = "${final.busybox}/bin/sh";
  runtimeShellPackage = final.busybox;
  bashInteractive = final.bash;
  busybox-sandbox-shell = final.busybox;

  # makeWrapper / wrapProgram shell functions for builds (put it in nativeBuildInputs).
  makeWrapper = final.runCommand "make-wrapper"
    {
      meta.description = "Setup hook with makeWrapper and wrapProgram (wrapper scripts setting the environment and flags)";
    }
    ''
      mkdir -p "$out/nix-support"
      substitute ${./build-support/make-wrapper.sh} "$out/nix-support/setup-hook" --subst-var-by shell ${final.runtimeShell}
    '';

  hello = callPackage ./tools/hello { };
  httpd = callPackage ./tools/httpd.nix { };
  utillinux = final.util-linux;
  procps-ng = final.procps;
  hostname = final.nettools;
}
