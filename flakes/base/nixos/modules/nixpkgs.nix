# nixpkgs.*: the package set the configuration's modules get as `pkgs`.
{ config, lib, pkgs, ... }:
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

  # nixpkgs.config from several modules: sets (or functions of { pkgs, lib } giving one) merged
  # recursively, later definitions winning, lists concatenated, packageOverrides composed.
  mergeConfigs = a: b:
    let
      both = builtins.intersectAttrs a b;
      mergeOne = name: _:
        let x = a.${name}; y = b.${name}; in
        if name == "packageOverrides" then (p: callIfFunction x p // callIfFunction y p)
        else if builtins.isAttrs x && builtins.isAttrs y && !lib.isDerivation x then mergeConfigs x y
        else if builtins.isList x && builtins.isList y then x ++ y
        else y;
    in a // b // builtins.mapAttrs mergeOne both;
  callIfFunction = f: arg: if lib.isFunction f then f arg else f;
  configType = lib.mkOptionType {
    name = "nixpkgs-config";
    description = "nixpkgs config";
    check = x: builtins.isAttrs x || lib.isFunction x;
    merge = loc: defs: builtins.foldl' (acc: def: mergeConfigs acc (callIfFunction def.value { inherit pkgs lib; })) { } defs;
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
      type = configType;
      default = { };
      example = lib.literalExpression "{ packageOverrides = pkgs: { hello = pkgs.hello.override { greeting = \"hi\"; }; }; }";
      description = "The package set's config argument: a set, or a function of { pkgs, lib } giving one; definitions merge.";
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
