# services.httpd: busybox httpd serving one document root (default: the "It works!" page).
# busybox httpd has no virtual hosts: `virtualHosts` may give one document root and one port,
# shared by all of them.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.services.httpd;

  vhostModule = { name, ... }: {
    options = {
      hostName = mkOption { type = types.str; default = name; description = "The host name (all hosts get the same pages)."; };
      serverAliases = mkOption { type = types.listOf types.str; default = [ ]; description = "Other names (all hosts get the same pages)."; };
      adminAddr = mkOption { type = types.nullOr types.str; default = null; };
      documentRoot = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "The directory served; null serves the default \"It works!\" page.";
      };
      listen = mkOption {
        type = types.listOf (types.submodule {
          options = {
            ip = mkOption { type = types.str; default = "*"; };
            port = mkOption { type = types.port; };
          };
        });
        default = [ ];
        description = "Where to listen; empty means `services.httpd.port`.";
      };
    };
  };

  vhosts = lib.attrValues cfg.virtualHosts;
  # Paths stay paths (copied to the store when used); compared as strings.
  vhostRootValues = lib.filter (r: r != null) (map (v: v.documentRoot) vhosts);
  vhostRoots = lib.unique (map toString vhostRootValues);
  vhostPorts = lib.unique (lib.concatMap (v: map (l: l.port) v.listen) vhosts);
  documentRoot =
    if cfg.documentRoot != null then cfg.documentRoot
    else if vhostRoots == [ ] then null
    else lib.head vhostRootValues;
  port = if vhostPorts == [ ] then cfg.port else lib.head vhostPorts;
  vhostNames = lib.concatMapStringsSep ", " (n: "`${n}'") (lib.attrNames cfg.virtualHosts);
in
{
  options.services.httpd = {
    enable = mkOption { type = types.bool; default = false; description = "Whether to run a web server."; };
    adminAddr = mkOption { type = types.str; description = "The server administrator's e-mail address."; };
    documentRoot = mkOption {
      type = types.nullOr types.path;
      default = null;
      description = "The directory served; null serves the virtual hosts' document root, else the default \"It works!\" page.";
    };
    virtualHosts = mkOption {
      type = types.attrsOf (types.submodule vhostModule);
      default = { localhost = { }; };
      description = "Virtual hosts; busybox httpd serves them all from one document root on one port.";
    };
    port = mkOption { type = types.port; default = 80; };
    package = mkOption { type = types.package; default = pkgs.httpd; };
  };
  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.documentRoot != null || lib.length vhostRoots <= 1;
        message = "services.httpd: the virtual hosts ${vhostNames} have different document roots, but busybox httpd serves one; give them the same documentRoot, or set services.httpd.documentRoot.";
      }
      {
        assertion = lib.length vhostPorts <= 1;
        message = "services.httpd: the virtual hosts ${vhostNames} listen on several ports (${lib.concatMapStringsSep ", " toString vhostPorts}), but busybox httpd listens on one.";
      }
    ];
    environment.systemPackages = [ cfg.package ];
    systemd.services.httpd = {
      description = "Apache HTTPD";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig.ExecStart = "${cfg.package}/bin/httpd -f -p ${toString port}"
        + lib.optionalString (documentRoot != null) " -h ${documentRoot}";
      serviceConfig.Restart = "always";
      readinessCheck = "exec ${pkgs.busybox}/bin/wget -q -O /dev/null http://127.0.0.1:${toString port}/";
    };
  };
}
