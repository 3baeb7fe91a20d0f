# Submodules: nested evaluations per definition, `name`, sub-options declared from outside,
# freeform types, deferred modules (spec §1.4–1.6).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types mkIf mkDefault mkForce;
  user = { name, config, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; };
      uid = mkOption { type = types.nullOr types.int; default = null; };
      groups = mkOption { type = types.listOf types.str; default = [ ]; };
      home = mkOption { type = types.str; default = "/home/${config.name}"; };
    };
  };
  base = {
    options.users = mkOption { type = types.attrsOf (types.submodule user); default = { }; };
    options.single = mkOption { type = types.submodule { options.a = mkOption { type = types.int; default = 1; }; options.b = mkOption { type = types.int; default = 2; }; }; default = { }; };
    options.items = mkOption { type = types.listOf (types.submodule { options.v = mkOption { type = types.str; }; }); default = [ ]; };
  };
  eval = modules: lib.evalModules { modules = [ base ] ++ modules; };
  cfg = modules: (eval modules).config;
in
{
  users = (cfg [
    { users.alice = { uid = 1000; groups = [ "wheel" ]; }; }
    { users.alice.groups = [ "users" ]; users.bob.home = "/srv/bob"; }
    { users.carol = mkIf false { uid = 3; }; }
    { users.dave = { name = "david"; }; }
  ]).users;
  singleMerged = (cfg [ { single.a = 10; } { single = { b = mkDefault 20; }; } { single.b = 30; } ]).single;
  singleFunctionDefinition = (cfg [ { single = { config, ... }: { config.a = 5; config.b = config.a + 1; }; } ]).single;
  singleDefault = (cfg [ ]).single;
  items = (cfg [ { items = [ { v = "x"; } ]; } { items = [ { v = "y"; } (mkIf false { v = "z"; }) ]; } ]).items;
  nameArg = builtins.attrNames (cfg [ { users."with space" = { }; users.plain = { }; } ]).users;
  nameInList = (cfg [ { options.l = mkOption { type = types.listOf (types.submodule ({ name, ... }: { options.n = mkOption { default = name; }; })); }; } { l = [ { } ]; } ]).l;
  subOptionsFromOutside = (cfg [
    { options.single.c = mkOption { type = types.str; default = "added"; }; }
    { single.c = "set"; }
  ]).single;
  subOptionsFromOutsideDecls = (eval [ { options.single.c = mkOption { type = types.str; default = "added"; }; } ]).options.single.declarations;
  submoduleOptionsIntrospection =
    let sub = ((eval [ ]).options.users.type.getSubOptions [ "users" ]); in
    { names = builtins.attrNames sub; loc = sub.uid.loc; str = "${sub.home}"; };
  submoduleWith = (lib.evalModules {
    modules = [
      {
        options.s = mkOption {
          type = types.submoduleWith {
            modules = [ ({ greeting, ... }: { options.msg = mkOption { default = "${greeting} world"; }; }) ];
            specialArgs.greeting = "hello";
          };
          default = { };
        };
      }
    ];
  }).config.s;
  submoduleWithFullForm = (lib.evalModules {
    modules = [
      { options.s = mkOption { type = types.submoduleWith { modules = [ ]; }; }; }
      { s = { options.x = mkOption { default = "declared in a definition"; }; }; }
    ];
  }).config.s;
  submoduleShorthandIsConfig = (lib.evalModules {
    modules = [
      { options.s = mkOption { type = types.submodule { options.imports = mkOption { default = [ ]; }; }; }; }
      { s = { imports = [ "just config" ]; }; }
    ];
  }).config.s;
  submodulePathDefinition = (lib.evalModules {
    modules = [
      { options.s = mkOption { type = types.submodule { options.list = mkOption { type = types.listOf types.str; }; }; }; }
      { s = ./data/mod-a.nix; }
    ];
  }).config.s;
  freeform = (lib.evalModules {
    modules = [
      { freeformType = types.attrsOf types.str; options.declared = mkOption { type = types.int; default = 1; }; }
      { free = "x"; other = "y"; declared = 2; }
      { free = mkForce "forced"; }
    ];
  }).config;
  freeformNested = (lib.evalModules {
    modules = [
      { freeformType = types.attrsOf (types.attrsOf types.int); options.a.b = mkOption { type = types.int; default = 1; }; }
      { a.c = 2; z.y = 3; }
    ];
  }).config;
  freeformSubmodule = (cfg [
    { options.settings = mkOption { type = types.submodule { freeformType = types.attrsOf types.anything; options.port = mkOption { type = types.port; default = 80; }; }; default = { }; }; }
    { settings.extra = { deep.x = 1; }; }
    { settings.extra.deep.y = 2; }
  ]).settings;
  freeformOptions = builtins.attrNames (lib.evalModules { modules = [ { freeformType = types.attrsOf types.str; } { a = "1"; } ]; }).options;
  deferred = (lib.evalModules {
    modules = [
      { options.mods = mkOption { type = types.deferredModule; default = { }; }; }
      { mods = { options.x = mkOption { default = 1; }; }; }
      { mods = { config, ... }: { y = config.x + 1; }; }
      ({ config, ... }: { options.out = mkOption { default = (lib.evalModules { modules = [ config.mods { options.y = mkOption { }; } ]; }).config; }; })
    ];
  }).config.out;
  attrsOfSubmoduleMkDefault = (cfg [ { users = mkDefault { eve.uid = 5; }; } { users.frank = { }; } ]).users;
  nullOrSubmodule = (lib.evalModules {
    modules = [
      { options.s = mkOption { type = types.nullOr (types.submodule { options.x = mkOption { default = 1; }; }); default = null; }; }
      { s = { }; }
    ];
  }).config.s;
}
