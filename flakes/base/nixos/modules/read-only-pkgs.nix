# nixosModules.readOnlyPkgs: use the package set given in `nixpkgs.pkgs` as is; the options that
# would change it (`nixpkgs.config`, `nixpkgs.overlays`) are not declared, so setting them fails.
{ config, lib, ... }:
{
  disabledModules = [ ./nixpkgs.nix ];
  options.nixpkgs = {
    pkgs = lib.mkOption {
      type = lib.types.attrs;
      description = "The package set, used as is.";
    };
    system = lib.mkOption {
      type = lib.types.str;
      default = config.nixpkgs.pkgs.system;
      description = "The package set's platform (read from `nixpkgs.pkgs`).";
    };
  };
  config._module.args.pkgs = config.nixpkgs.pkgs;
}
