# services.httpd: busybox httpd serving documentRoot (default: the "It works!" page).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.services.httpd;
in
{
  options.services.httpd = {
    enable = mkOption { type = types.bool; default = false; description = "Whether to run a web server."; };
    adminAddr = mkOption { type = types.str; description = "The server administrator's e-mail address."; };
    documentRoot = mkOption {
      type = types.nullOr types.path;
      default = null;
      description = "The directory served; null serves the default \"It works!\" page.";
    };
    port = mkOption { type = types.port; default = 80; };
    package = mkOption { type = types.package; default = pkgs.httpd; };
  };
  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ cfg.package ];
    systemd.services.httpd = {
      description = "Apache HTTPD";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig.ExecStart = "${cfg.package}/bin/httpd -f -p ${toString cfg.port}"
        + lib.optionalString (cfg.documentRoot != null) " -h ${cfg.documentRoot}";
      serviceConfig.Restart = "always";
      readinessCheck = "exec ${pkgs.busybox}/bin/wget -q -O /dev/null http://127.0.0.1:${toString cfg.port}/";
    };
  };
}
