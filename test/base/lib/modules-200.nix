# A configuration of about 200 modules with submodules: must stay quick (no quadratic merging).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types mkIf mkDefault;
  service = i:
    let name = "s${toString i}"; in
    { config, lib, ... }: {
      options.services.${name} = {
        enable = lib.mkEnableOption "service ${name}";
        port = mkOption { type = types.port; default = 1000 + i; };
        extraConfig = mkOption { type = types.lines; default = ""; };
      };
      config = mkIf config.services.${name}.enable {
        users.users.${name} = { uid = 1000 + i; extraGroups = [ "service" ]; };
        environment.packages = [ name ];
        services.${name}.extraConfig = "port ${toString config.services.${name}.port}";
        networking.allowedTCPPorts = [ config.services.${name}.port ];
      };
    };
  base = {
    options.users.users = mkOption {
      type = types.attrsOf (types.submodule ({ name, ... }: {
        options.uid = mkOption { type = types.int; };
        options.name = mkOption { type = types.str; default = name; };
        options.extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
      }));
      default = { };
    };
    options.environment.packages = mkOption { type = types.listOf types.str; default = [ ]; };
    options.networking.allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; };
  };
  enableAll = { services = lib.genAttrs (map (i: "s${toString i}") (lib.range 0 199)) (_: { enable = mkDefault true; }); };
  r = lib.evalModules { modules = [ base enableAll { services.s7.enable = false; } ] ++ map service (lib.range 0 199); };
  c = r.config;
in
{
  packages = builtins.length c.environment.packages;
  users = builtins.length (builtins.attrNames c.users.users);
  ports = lib.take 3 c.networking.allowedTCPPorts;
  sample = c.users.users.s42;
  extra = c.services.s199.extraConfig;
  forced = builtins.deepSeq c true;
}
