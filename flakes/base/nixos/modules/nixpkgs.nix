# nixpkgs.*: the package set the configuration's modules get as `pkgs`.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.nixpkgs;

  # nixpkgs' overlay type: a function per element; lists from several modules concatenate.
  overlayType = lib.mkOptionType {
    name = "nixpkgs-overlay";
    description = "nixpkgs overlay";
    check = lib.isFunction;
    merge = lib.mergeOneOption;
  };

  pkgsType = lib.mkOptionType {
    name = "nixpkgs";
    description = "An evaluation of Nixpkgs; the top level attribute set of packages";
    check = builtins.isAttrs;
    merge = lib.mergeOneOption;
  };

  # A platform given as "x86_64-linux" or { system = "x86_64-linux"; … }, as a set.
  elaborate = p: if builtins.isString p then { system = p; } else p;
in
{
  options.nixpkgs = {
    hostPlatform = mkOption {
      type = types.nullOr (types.either types.str types.attrs);
      default = null;
      example = "x86_64-linux";
      apply = p: if p == null then null else elaborate p;
      description = "The platform the system runs on (a system string or a set with `system`); sets `nixpkgs.system`.";
    };
    system = mkOption {
      type = types.str;
      description = "The platform the system is built for (legacy; `nixpkgs.hostPlatform` is preferred).";
    };
    overlays = mkOption {
      type = types.listOf overlayType;
      default = [ ];
      example = lib.literalExpression "[ (final: prev: { hello = prev.hello.override { greeting = \"hi\"; }; }) ]";
      description = "Overlays (`final: prev: { … }`) applied, in order, to the base package set.";
    };
    config = mkOption {
      type = types.attrs;
      default = { };
      description = "The package set's config argument.";
    };
    pkgs = mkOption {
      type = types.nullOr pkgsType;
      default = null;
      description = "A package set to use as is (plus `nixpkgs.overlays`) instead of importing base with `nixpkgs.config`.";
    };
  };

  config = {
    # Above eval-config's mkDefault of its `system` argument, below a plain definition.
    nixpkgs.system = lib.mkIf (cfg.hostPlatform != null) (lib.mkOverride 900 cfg.hostPlatform.system);
    _module.args.pkgs =
      if cfg.pkgs != null then cfg.pkgs.appendOverlays cfg.overlays
      else import ../../pkgs { inherit (cfg) system overlays config; };
  };
}
