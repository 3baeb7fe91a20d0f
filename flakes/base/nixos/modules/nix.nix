# nix.*: /etc/nix/nix.conf and /etc/nix/registry.json.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.nix;

  showValue = v:
    if builtins.isBool v then (if v then "true" else "false")
    else if builtins.isList v then lib.concatMapStringsSep " " showValue v
    else toString v;

  registryModule = { name, config, ... }: {
    options = {
      from = mkOption { type = types.attrsOf types.unspecified; };
      to = mkOption { type = types.attrsOf types.unspecified; };
      flake = mkOption {
        type = types.nullOr types.unspecified;
        default = null;
        description = "A flake (its outputs); `to` pins its locked source.";
      };
      exact = mkOption { type = types.bool; default = true; };
    };
    config = {
      from = lib.mkDefault { type = "indirect"; id = name; };
      to = lib.mkIf (config.flake != null) (lib.mkDefault (
        let src = config.flake.sourceInfo or config.flake; in
        { type = "path"; path = toString src.outPath; }
        // lib.filterAttrs (n: _: lib.elem n [ "lastModified" "narHash" "rev" "revCount" ]) src
      ));
    };
  };
in
{
  options.nix = {
    settings = mkOption {
      type = types.attrsOf types.unspecified;
      default = { };
      description = "nix.conf settings.";
    };
    extraOptions = mkOption { type = types.lines; default = ""; };
    registry = mkOption {
      type = types.attrsOf (types.submodule registryModule);
      default = { };
    };
  };
  config.environment.etc = {
    # As NixOS writes it: settings by name, `extra-…` ones after the others, then extraOptions.
    "nix/nix.conf".text =
      let
        line = k: "${k} = ${showValue cfg.settings.${k}}\n";
        names = lib.partition (k: !lib.hasPrefix "extra-" k) (lib.attrNames cfg.settings);
      in
      lib.concatMapStrings line (names.right ++ names.wrong) + cfg.extraOptions;
  } // lib.optionalAttrs (cfg.registry != { }) {
    "nix/registry.json".text = builtins.toJSON {
      version = 2;
      flakes = lib.mapAttrsToList
        (n: r: { inherit (r) from to; } // lib.optionalAttrs r.exact { exact = true; })
        cfg.registry;
    };
  };
}
