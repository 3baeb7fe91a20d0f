{
  description = "base: tix's package set, bootstrapped from the host's static busybox, and its lib";

  outputs = { self }:
    let
      lib = import ./lib // { nixosSystem = args: import ./nixos/eval-config.nix ({ flake = self; } // args); };
      system = "x86_64-linux";
      pkgs = import ./pkgs { inherit system; };
    in
    {
      inherit lib;

      # Everything, like nixpkgs' legacyPackages: trivial builders, stdenv, the busybox tools.
      legacyPackages.${system} = pkgs;

      packages.${system} = {
        inherit (pkgs) hello busybox httpd;
        default = pkgs.hello;
      };

      # As nixpkgs' flake has them: hardware detection (nothing to detect in a container) and a
      # module that takes `nixpkgs.pkgs` as is.
      nixosModules = {
        notDetected = ./nixos/modules/installer/scan/not-detected.nix;
        readOnlyPkgs = ./nixos/modules/read-only-pkgs.nix;
      };
    };
}
