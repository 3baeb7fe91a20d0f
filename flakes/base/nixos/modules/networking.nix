# networking.*: host name and the firewall (written to the toplevel's firewall/ directory).
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.networking.firewall;
  portList = mkOption { type = types.listOf types.port; default = [ ]; };
in
{
  options.networking = {
    hostName = mkOption {
      type = types.str;
      default = "nixos";
      description = "The system's host name (/etc/hostname).";
    };
    useDHCP = mkOption {
      type = types.bool;
      default = true;
      description = "Whether to configure interfaces with DHCP (containers get static addresses from tix).";
    };
    firewall = {
      enable = mkOption { type = types.bool; default = true; };
      allowedTCPPorts = portList;
      allowedUDPPorts = portList;
      allowPing = mkOption { type = types.bool; default = true; };
      rejectPackets = mkOption { type = types.bool; default = false; };
    };
  };
  config.system.build.firewallDir =
    let b = x: if x then "1" else "0"; in
    {
      enable = b cfg.enable;
      allowed-tcp-ports = lib.concatMapStringsSep " " toString (lib.unique cfg.allowedTCPPorts);
      allowed-udp-ports = lib.concatMapStringsSep " " toString (lib.unique cfg.allowedUDPPorts);
      allow-ping = b cfg.allowPing;
      reject-packets = b cfg.rejectPackets;
    };
}
