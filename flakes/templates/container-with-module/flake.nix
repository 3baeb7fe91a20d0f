{
  description = "A NixOS container using a third-party flake's module and overlay";

  inputs.nixpkgs.url = "nixpkgs";
  # The third-party flake; here a subdirectory, so the template works offline.
  # Point it elsewhere, e.g. "github:OWNER/REPO" or "git+file:///path/to/checkout".
  inputs.hydra.url = "path:./hydra";

  outputs = { self, nixpkgs, hydra }: {

    nixosConfigurations.container = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules =
        [ hydra.nixosModules.hydra

          ({ pkgs, ... }: {
            boot.isContainer = true;

            # Let 'nixos-version --json' know about the Git revision
            # of this flake.
            system.configurationRevision = nixpkgs.lib.mkIf (self ? rev) self.rev;

            # The third-party flake's packages, in pkgs.
            nixpkgs.overlays = [ hydra.overlays.default ];

            # Network configuration.
            networking.useDHCP = false;
            networking.firewall.allowedTCPPorts = [ 80 3000 ];

            # Enable a web server, and the third-party service (port 3000).
            services.httpd = {
              enable = true;
              adminAddr = "morty@example.org";
            };
            services.hydra.enable = true;
          })
        ];
    };

  };
}
