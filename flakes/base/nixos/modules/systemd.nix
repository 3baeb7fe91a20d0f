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
      # As NixOS: strings, paths and packages (their store path); null leaves a variable unset.
      environment = mkOption {
        type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package types.int ]));
        default = { };
      };
      preStart = mkOption { type = types.lines; default = ""; };
      script = mkOption { type = types.lines; default = ""; };
      serviceConfig = mkOption { type = types.attrsOf types.unspecified; default = { }; };
      restartIfChanged = mkOption { type = types.bool; default = true; };
      stopIfChanged = mkOption { type = types.bool; default = true; };
      # Accepted for compatibility with NixOS configurations; the supervisor has no use for them.
      before = ignored (types.listOf types.str) [ ];
      partOf = ignored (types.listOf types.str) [ ];
      bindsTo = ignored (types.listOf types.str) [ ];
      conflicts = ignored (types.listOf types.str) [ ];
      unitConfig = ignored (types.attrsOf types.unspecified) { };
      restartTriggers = ignored (types.listOf types.unspecified) [ ];
      # Installs the service like wantedBy.
      requiredBy = mkOption { type = types.listOf types.str; default = [ ]; };
      readinessCheck = mkOption {
        type = types.nullOr types.lines;
        default = null;
        description = "tix: a readiness probe (services/NAME/check).";
      };
    };
  };

  ignored = type: default: mkOption {
    inherit type default;
    description = "Accepted for NixOS compatibility; not used by tix's service supervisor.";
  };

  file = text: { inherit text; mode = "0444"; };
  exe = text: { inherit text; mode = "0555"; };

  toDir = name: s:
    let
      sc = s.serviceConfig;
      pathLine = lib.optionalString (s.path != [ ])
        "export PATH=${lib.concatMapStringsSep ":" (p: "${p}/bin") s.path}:$PATH\n";
      execStart = sc.ExecStart or null;
      # A list runs its commands in turn (NixOS allows several for oneshot services); `script`
      # and `preStart` run with `set -e`, as NixOS' generated scripts do.
      body =
        if builtins.isList execStart && execStart != [ ] then
          "set -e\n" + lib.concatMapStrings (c: "${toString c}\n") (lib.init execStart) + "exec ${toString (lib.last execStart)}"
        else if execStart != null && execStart != [ ] then "exec ${toString execStart}"
        else "set -e\n${s.script}";
      # A failing preStart keeps the service from starting.
      preStart = lib.optionalString (s.preStart != "") "(\nset -e\n${s.preStart}\n) || exit $?";
      restart = sc.Restart or "no";
      setEnvironment = lib.filterAttrs (_: v: v != null) s.environment;
    in
    {
      run = exe "#!${bb}/sh\n${pathLine}${preStart}\n${body}\n";
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
    // lib.optionalAttrs (setEnvironment != { }) {
      environment = file (lib.concatStrings (lib.mapAttrsToList (k: v: "${k}=${toString v}\n") setEnvironment));
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
    (lib.filterAttrs (n: s: s.enable && s.wantedBy ++ s.requiredBy != [ ]) config.systemd.services);
}
