# systemd.services: translated into the runtime's service descriptions (services/NAME/).
# Only enabled services wanted by some target are installed (init starts all of them).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  bb = "${pkgs.busybox}/bin";
  strip = n: lib.removeSuffix ".service" n;

  serviceModule = { name, config, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      description = mkOption { type = types.str; default = ""; };
      wantedBy = mkOption { type = types.listOf types.str; default = [ ]; };
      after = mkOption { type = types.listOf types.str; default = [ ]; };
      wants = mkOption { type = types.listOf types.str; default = [ ]; };
      requires = mkOption { type = types.listOf types.str; default = [ ]; };
      path = mkOption { type = types.listOf types.package; default = [ ]; };
      environment = mkOption { type = types.attrsOf (types.either types.str types.int); default = { }; };
      preStart = mkOption { type = types.lines; default = ""; };
      script = mkOption { type = types.lines; default = ""; };
      serviceConfig = mkOption { type = types.attrsOf types.unspecified; default = { }; };
      restartIfChanged = mkOption { type = types.bool; default = true; };
      stopIfChanged = mkOption { type = types.bool; default = true; };
      readinessCheck = mkOption {
        type = types.nullOr types.lines;
        default = null;
        description = "tix: a readiness probe (services/NAME/check).";
      };
    };
  };

  file = text: { inherit text; mode = "0444"; };
  exe = text: { inherit text; mode = "0555"; };

  toDir = name: s:
    let
      sc = s.serviceConfig;
      pathLine = lib.optionalString (s.path != [ ])
        "export PATH=${lib.concatMapStringsSep ":" (p: "${p}/bin") s.path}:$PATH\n";
      execStart = sc.ExecStart or null;
      body =
        if execStart != null then "exec ${toString execStart}"
        else s.script;
      restart = sc.Restart or "no";
    in
    {
      run = exe "#!${bb}/sh\n${pathLine}${s.preStart}\n${body}\n";
    }
    // lib.optionalAttrs ((sc.Type or "simple") == "oneshot") { type = file "oneshot\n"; }
    // lib.optionalAttrs (s.after ++ s.requires != [ ]) {
      after = file (lib.concatMapStrings (n: strip n + "\n") (lib.unique (s.after ++ s.requires)));
    }
    // lib.optionalAttrs (restart != "no") {
      restart = file ((if lib.elem restart [ "always" "on-failure" ] then restart else "on-failure") + "\n");
    }
    // lib.optionalAttrs (sc ? RestartSec) { restart-delay = file "${toString sc.RestartSec}\n"; }
    // lib.optionalAttrs (sc ? User) { user = file "${sc.User}\n"; }
    // lib.optionalAttrs (sc ? WorkingDirectory) { working-directory = file "${sc.WorkingDirectory}\n"; }
    // lib.optionalAttrs (s.environment != { }) {
      environment = file (lib.concatStrings (lib.mapAttrsToList (k: v: "${k}=${toString v}\n") s.environment));
    }
    // lib.optionalAttrs (s.readinessCheck != null) { check = exe "#!${bb}/sh\n${s.readinessCheck}\n"; }
    // lib.optionalAttrs (!s.restartIfChanged) { restart-if-changed = file "0\n"; }
    // lib.optionalAttrs (!s.stopIfChanged) { stop-if-changed = file "0\n"; };
in
{
  options.systemd.services = mkOption {
    type = types.attrsOf (types.submodule serviceModule);
    default = { };
    description = "Services, in the runtime's service format.";
  };
  config.system.build.serviceDirs = lib.mapAttrs toDir
    (lib.filterAttrs (n: s: s.enable && s.wantedBy != [ ]) config.systemd.services);
}
