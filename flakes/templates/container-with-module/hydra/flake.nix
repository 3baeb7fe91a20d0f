{
  # A stand-in for github:NixOS/hydra: a flake outside the package set that brings
  # a NixOS module (a small web service on port 3000) and an overlay (its package).
  description = "A third-party service: a NixOS module and an overlay";

  outputs = { self }:
    let version = "1"; in
    {
      # Adds 'hydra' to the package set: the page the service answers with.
      overlays.default = final: prev: {
        hydra = final.writeTextFile {
          name = "hydra-${version}";
          destination = "/share/hydra/index.html";
          text = "Hydra stand-in, version ${version}\n";
        };
      };
      overlay = self.overlays.default;

      # 'services.hydra': serves the package's page on port 3000.
      nixosModules.hydra = { config, lib, pkgs, ... }:
        let cfg = config.services.hydra; in
        {
          options.services.hydra = {
            enable = lib.mkEnableOption "the Hydra stand-in";
            port = lib.mkOption { type = lib.types.port; default = 3000; };
            package = lib.mkOption { type = lib.types.package; default = pkgs.hydra; };
          };
          config = lib.mkIf cfg.enable {
            environment.systemPackages = [ cfg.package ];
            systemd.services.hydra = {
              description = "Hydra stand-in";
              wantedBy = [ "multi-user.target" ];
              serviceConfig.ExecStart =
                "${pkgs.busybox}/bin/httpd -f -p ${toString cfg.port} -h ${cfg.package}/share/hydra";
              serviceConfig.Restart = "always";
            };
          };
        };
      nixosModules.default = self.nixosModules.hydra;
    };
}
