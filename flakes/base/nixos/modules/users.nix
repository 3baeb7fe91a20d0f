# users.users / users.groups: written to the toplevel's users/passwd, users/group.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  userModule = { name, config, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; };
      uid = mkOption { type = types.nullOr types.int; default = null; };
      group = mkOption { type = types.str; default = if config.isNormalUser then "users" else "nogroup"; };
      extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
      description = mkOption { type = types.str; default = ""; };
      home = mkOption { type = types.str; default = if config.isNormalUser then "/home/${name}" else "/var/empty"; };
      createHome = mkOption { type = types.bool; default = config.isNormalUser; };
      shell = mkOption {
        type = types.either types.str types.package;
        default = if config.isNormalUser then "/run/current-system/sw/bin/sh" else "/run/current-system/sw/bin/nologin";
      };
      isNormalUser = mkOption { type = types.bool; default = false; };
      isSystemUser = mkOption { type = types.bool; default = false; };
      hashedPassword = mkOption { type = types.nullOr types.str; default = null; };
      packages = mkOption {
        type = types.listOf types.package;
        default = [ ];
        description = "Packages for this user. tix has no per-user profiles: they join the system path.";
      };
    };
  };
  groupModule = { name, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; };
      gid = mkOption { type = types.nullOr types.int; default = null; };
      members = mkOption { type = types.listOf types.str; default = [ ]; };
    };
  };

  users = lib.attrValues config.users.users;
  groups = lib.attrValues config.users.groups;
  sortedNames = l: lib.sort (a: b: a.name < b.name) l;

  # Users without a uid: normal users from 1000 up, others from 999 down (in name order).
  normalAuto = lib.filter (u: u.uid == null && u.isNormalUser) (sortedNames users);
  systemAuto = lib.filter (u: u.uid == null && !u.isNormalUser) (sortedNames users);
  autoUid = lib.listToAttrs (lib.imap0 (i: u: lib.nameValuePair u.name (1000 + i)) normalAuto
    ++ lib.imap0 (i: u: lib.nameValuePair u.name (999 - i)) systemAuto);
  uidOf = u: if u.uid != null then u.uid else autoUid.${u.name};

  groupAuto = lib.filter (g: g.gid == null) (sortedNames groups);
  autoGid = lib.listToAttrs (lib.imap0 (i: g: lib.nameValuePair g.name (400 + i)) groupAuto);
  gidOf = g: if g.gid != null then g.gid else autoGid.${g.name};
  gidByName = n: if config.users.groups ? ${n} then gidOf config.users.groups.${n}
    else throw "users.users: group `${n}' is not declared in users.groups";

  membersOf = g: lib.unique (g.members
    ++ map (u: u.name) (lib.filter (u: lib.elem g.name u.extraGroups) (sortedNames users)));
in
{
  options.users = {
    users = mkOption { type = types.attrsOf (types.submodule userModule); default = { }; };
    groups = mkOption { type = types.attrsOf (types.submodule groupModule); default = { }; };
  };
  config = {
    environment.systemPackages = lib.concatMap (u: u.packages) users;
    users.users.root = {
      uid = 0; group = "root"; home = "/root"; description = "System administrator";
      shell = lib.mkDefault "/run/current-system/sw/bin/sh";
    };
    users.users.nobody = { uid = 65534; group = "nogroup"; description = "Unprivileged account"; };
    users.groups = {
      root.gid = 0;
      wheel.gid = 1;
      users.gid = 100;
      nogroup.gid = 65534;
    };
    assertions = map (u: {
      assertion = !(u.isNormalUser && u.isSystemUser);
      message = "users.users.${u.name}: isNormalUser and isSystemUser are mutually exclusive";
    }) users;
    system.build.usersFiles = {
      passwd = lib.concatMapStrings (u:
        "${u.name}:x:${toString (uidOf u)}:${toString (gidByName u.group)}:${u.description}:${u.home}:${toString u.shell}\n")
        (sortedNames users);
      group = lib.concatMapStrings (g:
        "${g.name}:x:${toString (gidOf g)}:${lib.concatStringsSep "," (membersOf g)}\n")
        (sortedNames groups);
    } // lib.optionalAttrs (lib.any (u: u.hashedPassword != null) users) {
      shadow = lib.concatMapStrings (u: "${u.name}:${u.hashedPassword}:1::::::\n")
        (lib.filter (u: u.hashedPassword != null) (sortedNames users));
    };
  };
}
