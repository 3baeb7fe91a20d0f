# nixpkgs.*: the package set the configuration's modules get as `pkgs`.
{ config, lib, ... }:
let inherit (lib) mkOption types; in
{
  options.nixpkgs = {
    system = mkOption {
      type = types.str;
      description = "The platform the system is built for.";
    };
    overlays = mkOption {
      type = types.listOf types.unspecified;
      default = [ ];
      description = "Overlays (`final: prev: { … }`) applied to the base package set.";
    };
    config = mkOption {
      type = types.attrs;
      default = { };
      description = "The package set's config argument.";
    };
  };
  config._module.args.pkgs = import ../../pkgs {
    inherit (config.nixpkgs) system overlays config;
  };
}
