# base.lib.nixosSystem: evaluates a system configuration with the base module system.
#   system       the platform (nixpkgs.system's default; `nixpkgs.hostPlatform` in a module also works)
#   modules      the configuration's modules
#   specialArgs  extra module arguments available in `imports`
#   pkgs         a package set to use instead of importing base (sets nixpkgs.pkgs)
#   prefix       the option path the configuration sits under (containers.<name>)
# Returns the evalModules result ({ config, options, … }) plus `pkgs` and `lib`; its
# `extendModules` returns the same shape.
{ system ? "x86_64-linux"
, modules
, specialArgs ? { }
, pkgs ? null
, prefix ? [ ]
, lib ? import ../lib
, flake ? null
, ...
}@args:
let
  # Errors name the file that wrote `modules = [ … ]` (e.g. the configuration's flake.nix) as
  # the file of its inline modules, as NixOS does: each sits in a wrapper carrying that file.
  modulesLocation = (builtins.unsafeGetAttrPos "modules" args).file or null;
  located = m: if modulesLocation == null then m else { _file = modulesLocation; imports = [ m ]; };

  date = if flake == null then "19700101"
    else if flake ? lastModifiedDate then builtins.substring 0 8 flake.lastModifiedDate
    else "19700101";
  versionSuffix = if flake == null then "pre-git"
    else ".${date}.${flake.shortRev or flake.dirtyShortRev or "dirty"}";

  withExtras = evaluated: evaluated // {
    inherit lib;
    pkgs = evaluated._module.args.pkgs;
    extendModules = args: withExtras (evaluated.extendModules args);
  };
in
withExtras (lib.evalModules {
  inherit prefix;
  class = "nixos";
  modules = import ./modules/module-list.nix ++ map located modules ++ [
    ({
      nixpkgs.system = lib.mkDefault system;
      system.nixos.revision = lib.mkDefault (if flake != null then flake.rev or null else null);
      system.nixos.versionSuffix = lib.mkDefault versionSuffix;
    } // lib.optionalAttrs (pkgs != null) { nixpkgs.pkgs = pkgs; })
  ];
  specialArgs = { modulesPath = toString ./modules; } // specialArgs;
})
