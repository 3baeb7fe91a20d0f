# environment.*: the system path (sw/) and the /etc tree (etc/).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  q = lib.escapeShellArg;
  info = config.system.build.versionInfo;

  # nixos-version (spec §5). The version data is read at run time from the system it is run
  # through (SYSTEM/sw/bin/nixos-version) or else from /run/current-system, so a new revision
  # changes only the toplevel and system-path stays the same derivation across commits.
  # version-info.json comes from builtins.toJSON (one line, sorted keys); values are plain
  # strings or null, which parameter expansion can pick out without running a program.
  nixosVersionScript = pkgs.writeScriptBin "nixos-version" ''
    #!${pkgs.busybox}/bin/sh
    prog=''${0##*/}
    file=/run/current-system/version-info.json
    case "$0" in
      */sw/bin/*) [ -f "''${0%/sw/bin/*}/version-info.json" ] && file="''${0%/sw/bin/*}/version-info.json" ;;
    esac
    { IFS= read -r info || [ -n "$info" ]; } < "$file" || { echo "$prog: cannot read $file" >&2; exit 1; }
    # field KEY: sets v to the string value of KEY, or returns 1 when it is null or missing.
    field() {
      case "$info" in *"\"$1\":\""*) ;; *) return 1 ;; esac
      v=''${info#*\"$1\":\"}; v=''${v%%\"*}
    }
    case "$1" in
      --hash|--revision)
        field nixpkgsRevision || v=""
        case "$v" in
          "" | *[!0-9a-f]*) echo "$prog: Nixpkgs commit hash is unknown" >&2; exit 1 ;;
        esac
        echo "$v" ;;
      --configuration-revision)
        field configurationRevision || { echo "$prog: configuration revision is unknown" >&2; exit 1; }
        echo "$v" ;;
      --json)
        json="" sep=""
        for k in configurationRevision nixosVersion nixpkgsRevision; do
          field $k && { json="$json$sep\"$k\":\"$v\""; sep=","; }
        done
        echo "{$json}" ;;
      -h|--help)
        echo "Usage: nixos-version [--hash|--revision|--configuration-revision|--json]"
        echo
        echo "Show the version of the running system."
        echo
        echo "  --hash, --revision         the nixpkgs commit the system was built from"
        echo "  --configuration-revision   the revision of the configuration (system.configurationRevision)"
        echo "  --json                     all of it as JSON" ;;
      *)
        field nixosVersion; version=$v
        field nixosCodeName; echo "$version ($v)" ;;
    esac
  '';

  etcEntries = lib.filter (e: e.enable) (lib.attrValues config.environment.etc);

  # chown for copied files with an owner: run after /etc is set up and users exist.
  owner = x: if lib.hasPrefix "+" x then lib.removePrefix "+" x else x;
  ownedEntries = lib.filter
    (e: !(lib.elem e.mode [ "symlink" "direct" ]) && (e.user != "+0" || e.group != "+0"))
    etcEntries;
  etcOwners = lib.concatMapStrings
    (e: "chown ${q "${owner e.user}:${owner e.group}"} /etc/${q e.target}\n")
    ownedEntries;

  # Rebuilt whenever a file of /etc changes: one mkdir for all directories, then one link each.
  etcDirs = lib.unique ([ "etc" ] ++ map (e: dirOf "etc/${e.target}") etcEntries);
  etcDrv = pkgs.runCommand "etc" { preferLocalBuild = true; }
    (''
      mkdir -p${lib.concatMapStrings (d: " \"$out/\"${q d}") etcDirs}
    '' + lib.concatMapStrings (e: ''
      ln -s ${q "${e.source}"} "$out/etc/"${q e.target}
    '' + lib.optionalString (e.mode != "symlink") ''
      printf '%s\n' ${q e.mode} > "$out/etc/"${q e.target}.mode
    '') etcEntries);

  etcModule = { name, config, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      target = mkOption { type = types.str; default = name; description = "Path below /etc."; };
      text = mkOption { type = types.nullOr types.lines; default = null; };
      source = mkOption { type = types.path; description = "The file (or directory) to link."; };
      mode = mkOption {
        type = types.str;
        default = "symlink";
        description = "`symlink`, `direct`, or an octal mode: the file is copied with that mode.";
      };
      # Owners apply to copied files (an octal `mode`), as in NixOS.
      uid = mkOption { type = types.int; default = 0; description = "Owner of a copied file, by number."; };
      gid = mkOption { type = types.int; default = 0; description = "Group of a copied file, by number."; };
      user = mkOption {
        type = types.str;
        default = "+${toString config.uid}";
        description = "Owner of a copied file, by name (`+N` is the number N).";
      };
      group = mkOption {
        type = types.str;
        default = "+${toString config.gid}";
        description = "Group of a copied file, by name (`+N` is the number N).";
      };
    };
    config.source = lib.mkIf (config.text != null)
      (lib.mkDefault (pkgs.writeText "etc-${baseNameOf name}" config.text));
  };
in
{
  options.environment = {
    systemPackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      description = "Packages installed in the system path (/run/current-system/sw).";
    };
    etc = mkOption {
      type = types.attrsOf (types.submodule etcModule);
      default = { };
      description = "Files of /etc.";
    };
    variables = mkOption {
      type = types.attrsOf (types.oneOf [ types.str types.path types.int (types.listOf types.str) ]);
      default = { };
      example = { EDITOR = "vi"; };
      description = "Environment variables of login shells (/etc/profile); lists are joined with `:`.";
    };
    shellAliases = mkOption {
      type = types.attrsOf (types.nullOr types.str);
      default = { };
      example = { ll = "ls -l"; };
      description = "Aliases of login shells (/etc/profile); null removes one.";
    };
    shellInit = mkOption {
      type = types.lines;
      default = "";
      description = "Shell commands run by login shells, at the end of /etc/profile.";
    };
  };

  config = {
    environment.etc = {
      hostname.text = config.networking.hostName + "\n";
      os-release.text = ''
        NAME=NixOS
        ID=nixos
        VERSION="${info.nixosVersion} (${info.nixosCodeName})"
        VERSION_CODENAME=${lib.toLower info.nixosCodeName}
        VERSION_ID="${info.nixosVersion}"
        PRETTY_NAME="NixOS ${info.nixosVersion} (${info.nixosCodeName})"
      '';
      profile.text = lib.mkDefault (''
        export PATH=/run/current-system/sw/bin:/run/current-system/sw/sbin
      ''
      + lib.concatStrings (lib.mapAttrsToList
          (k: v: "export ${k}=${q (if builtins.isList v then lib.concatStringsSep ":" v else toString v)}\n")
          config.environment.variables)
      + lib.concatStrings (lib.mapAttrsToList (k: v: "alias ${k}=${q v}\n")
          (lib.filterAttrs (_: v: v != null) config.environment.shellAliases))
      + config.environment.shellInit);
    };
    system.activationScripts = lib.mkIf (ownedEntries != [ ]) { etc-owners = etcOwners; };
    system.build.nixosVersionScript = nixosVersionScript;
    system.build.etc = etcDrv;
    system.build.sw = pkgs.buildEnv {
      name = "system-path";
      paths = config.environment.systemPackages ++ [ nixosVersionScript pkgs.busybox ];
      ignoreCollisions = true;
    };
  };
}
