# system.*: version data, assertions/warnings and the toplevel derivation
# (the layout of src/system/README.md, "The system contract").
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.system;
  q = lib.escapeShellArg;
  busybox = pkgs.busybox;

  # The toplevel is rebuilt on every change, so its builder runs few processes: one mkdir for
  # every directory, the shell's own printf for the contents, one chmod per mode.
  fileCmds = files:
    let
      dirs = lib.unique (lib.filter (d: d != ".") (map (f: dirOf f.file) files));
      modes = lib.unique (map (f: f.mode) files);
      target = f: " \"$out/\"${q f.file}";
    in
    lib.optionalString (dirs != [ ]) "mkdir -p${lib.concatMapStrings (d: " \"$out/\"${q d}") dirs}\n"
    + lib.concatMapStrings (f: "printf '%s' ${q f.content} >${target f}\n") files
    + lib.concatMapStrings (m: "chmod ${m}${lib.concatMapStrings target (lib.filter (f: f.mode == m) files)}\n") modes;
  file = file: content: mode: { inherit file content mode; };

  scripts = { init = "init.sh"; activate = "activate.sh"; "bin/switch-to-configuration" = "switch-to-configuration.sh"; "bin/tix-service" = "tix-service.sh"; };
  scriptCmds =
    lib.concatStrings (lib.mapAttrsToList (name: src: ''
      sed "s|@busybox@|${busybox}|g" ${./../scripts + "/${src}"} > "$out/${name}"
    '') scripts)
    + "chmod 0555${lib.concatMapStrings (n: " \"$out/${n}\"") (lib.attrNames scripts)}\n";

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
    + scriptCmds
    + ''
      ln -s ${cfg.build.etc}/etc "$out/etc"
      ln -s ${cfg.build.sw} "$out/sw"
    ''
    + fileCmds ([
      (file "nixos-version" cfg.nixos.label "0444")
      (file "configuration-name" cfg.nixos.label "0444")
      (file "system" config.nixpkgs.system "0444")
      (file "init-interface-version" "tix-init 1" "0444")
      # the shell functions both bin/ scripts source
      (file "lib/tix-helpers.sh" (builtins.readFile ./../scripts/helpers.sh) "0444")
      (file "version-info.json" (builtins.toJSON versionInfo + "\n") "0444")
    ]
    ++ lib.mapAttrsToList (n: v: file "firewall/${n}" (v + "\n") "0444")
        (if config.networking.firewall.enable then cfg.build.firewallDir else { })
    ++ lib.mapAttrsToList (n: v: file "users/${n}" v "0444") cfg.build.usersFiles
    ++ lib.concatLists (lib.mapAttrsToList
        (svc: files: lib.mapAttrsToList (f: v: file "services/${svc}/${f}" v.text v.mode) files)
        cfg.build.serviceDirs)
    ++ lib.imap0
        (i: n: file "activation.d/${toString (50 + i)}-${n}"
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
