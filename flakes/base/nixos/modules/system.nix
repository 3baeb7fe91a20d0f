# system.*: version data, assertions/warnings and the toplevel derivation
# (the layout of src/system/README.md, "The system contract").
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.system;
  q = lib.escapeShellArg;
  busybox = pkgs.busybox;

  # Shell commands writing FILE (relative to $out) with CONTENT and MODE.
  writeCmd = file: content: mode: ''
    mkdir -p "$(dirname "$out/"${q file})"
    printf '%s' ${q content} > "$out/"${q file}
    chmod ${mode} "$out/"${q file}
  '';

  script = name: file: ''
    sed "s|@busybox@|${busybox}|g" ${./../scripts + "/${file}"} > "$out/${name}"
    chmod 0555 "$out/${name}"
  '';

  versionInfo = {
    nixosVersion = cfg.nixos.version;
    nixosCodeName = cfg.nixos.codeName;
    nixpkgsRevision = cfg.nixos.revision;
    configurationRevision = cfg.configurationRevision;
  };

  failedAssertions = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);

  withWarnings = x:
    lib.foldr (w: acc: builtins.trace "warning: ${w}" acc) x config.warnings;

  toplevelDrv = pkgs.runCommand "nixos-system-${cfg.name}-${cfg.nixos.label}"
    {
      preferLocalBuild = true;
      allowSubstitutes = false;
      passthru = { inherit config; inherit (cfg.build) etc sw; };
    }
    (''
      mkdir -p "$out/bin"
    ''
    + script "init" "init.sh"
    + script "activate" "activate.sh"
    + script "bin/switch-to-configuration" "switch-to-configuration.sh"
    + script "bin/tix-service" "tix-service.sh"
    + ''
      ln -s ${cfg.build.etc}/etc "$out/etc"
      ln -s ${cfg.build.sw} "$out/sw"
    ''
    + writeCmd "nixos-version" cfg.nixos.label "0444"
    + writeCmd "configuration-name" cfg.nixos.label "0444"
    + writeCmd "system" config.nixpkgs.system "0444"
    + writeCmd "init-interface-version" "tix-init 1" "0444"
    + writeCmd "version-info.json" (builtins.toJSON versionInfo + "\n") "0444"
    + lib.concatStrings (lib.mapAttrsToList (n: v: writeCmd "firewall/${n}" (v + "\n") "0444")
        (if config.networking.firewall.enable then cfg.build.firewallDir else { }))
    + lib.concatStrings (lib.mapAttrsToList (n: v: writeCmd "users/${n}" v "0444") cfg.build.usersFiles)
    + lib.concatStrings (lib.mapAttrsToList
        (svc: files: lib.concatStrings (lib.mapAttrsToList
          (f: v: writeCmd "services/${svc}/${f}" v.text v.mode) files))
        cfg.build.serviceDirs)
    + lib.concatStrings (lib.imap0
        (i: n: writeCmd "activation.d/${toString (50 + i)}-${n}"
          "#!${busybox}/bin/sh\n${cfg.activationScripts.${n}}\n" "0555")
        (lib.attrNames cfg.activationScripts))
    + cfg.extraSystemBuilderCmds);
in
{
  options = {
    assertions = mkOption {
      type = types.listOf types.unspecified;
      default = [ ];
      description = "`{ assertion; message; }` pairs; a false assertion makes the toplevel fail to evaluate.";
    };
    warnings = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "Messages printed when the toplevel is evaluated.";
    };
    system.build = mkOption {
      type = types.lazyAttrsOf types.unspecified;
      default = { };
      description = "Derivations and data making up the system; `toplevel` is the system itself.";
    };
    system.nixos = {
      release = mkOption { type = types.str; default = "20.03"; readOnly = true; };
      codeName = mkOption { type = types.str; default = "Markhor"; readOnly = true; };
      versionSuffix = mkOption { type = types.str; default = "pre-git"; };
      version = mkOption { type = types.str; };
      revision = mkOption { type = types.nullOr types.str; default = null; };
      tags = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Strings put (sorted) before the version in the label.";
      };
      # It ends up in a store path name, hence the restricted characters.
      label = mkOption {
        type = types.strMatching "[a-zA-Z0-9:_\\.-]*";
        description = "The toplevel's label: the tags and the version joined by `-`.";
      };
    };
    system.name = mkOption {
      type = types.str;
      default = if config.networking.hostName == "" then "unnamed" else config.networking.hostName;
      defaultText = lib.literalExpression "config.networking.hostName, or \"unnamed\" when it is empty";
      description = "The system's name in the toplevel's name (nixos-system-NAME-LABEL).";
    };
    system.configurationRevision = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "The revision of the configuration (nixos-version --configuration-revision).";
    };
    system.stateVersion = mkOption {
      type = types.str;
      default = cfg.nixos.release;
      description = "The release whose stateful data formats the system keeps.";
    };
    system.activationScripts = mkOption {
      type = types.attrsOf types.lines;
      default = { };
      description = "Extra activation snippets (installed as activation.d/NN-NAME).";
    };
    system.extraSystemBuilderCmds = mkOption {
      type = types.lines;
      default = "";
      description = "Shell commands run at the end of the toplevel's builder.";
    };
  };

  config = {
    system.nixos.version = lib.mkDefault (cfg.nixos.release + cfg.nixos.versionSuffix);
    system.nixos.label = lib.mkDefault
      (lib.concatStringsSep "-" (lib.sort (a: b: a < b) cfg.nixos.tags ++ [ cfg.nixos.version ]));
    system.build.versionInfo = versionInfo;
    system.build.toplevel =
      if failedAssertions != [ ] then
        throw "\nFailed assertions:\n${lib.concatMapStrings (m: "- ${m}\n") failedAssertions}"
      else withWarnings toplevelDrv;
  };
}
