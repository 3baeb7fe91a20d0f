# base.lib.nixosSystem: evaluates a system configuration with the base module system.
#   system       the platform (nixpkgs.system's default)
#   modules      the configuration's modules
#   specialArgs  extra module arguments available in `imports`
# Returns the evalModules result ({ config, options, … }) plus `pkgs`.
{ system ? "x86_64-linux"
, modules
, specialArgs ? { }
, lib ? import ../lib
, flake ? null
, ...
}:
let
  date = if flake == null then "19700101"
    else if flake ? lastModifiedDate then builtins.substring 0 8 flake.lastModifiedDate
    else "19700101";
  versionSuffix = if flake == null then "pre-git"
    else ".${date}.${flake.shortRev or flake.dirtyShortRev or "dirty"}";
  evaluated = lib.evalModules {
    modules = import ./modules/module-list.nix ++ modules ++ [
      {
        nixpkgs.system = lib.mkDefault system;
        system.nixos.revision = lib.mkDefault (if flake != null then flake.rev or null else null);
        system.nixos.versionSuffix = lib.mkDefault versionSuffix;
      }
    ];
    specialArgs = { modulesPath = toString ./modules; } // specialArgs;
  };
in
evaluated // { pkgs = evaluated.config._module.args.pkgs; }
