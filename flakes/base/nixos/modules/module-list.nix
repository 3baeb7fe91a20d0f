# The modules every base.lib.nixosSystem configuration gets.
[
  ./nixpkgs.nix
  ./system.nix
  ./boot.nix
  ./networking.nix
  ./environment.nix
  ./users.nix
  ./systemd.nix
  ./nix.nix
  ./httpd.nix
]
