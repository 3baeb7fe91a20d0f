# Module forms, arguments, imports, identity and disabledModules (spec §1.1–1.3).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types;
  eval = modules: lib.evalModules { inherit modules; };
  decls = {
    options.list = mkOption { type = types.listOf types.str; default = [ ]; };
    options.n = mkOption { type = types.int; default = 0; };
  };
  d = name: { list = [ name ]; };
in
{
  shorthand = (eval [ decls { list = [ "s" ]; } ]).config.list;
  fullForm = (eval [ decls { config.list = [ "f" ]; options.extra = mkOption { default = 1; }; } ]).config;
  fullFormMeta = (eval [ decls { options.meta = mkOption { type = types.attrs; }; meta.x = 1; config.n = 2; } ]).config;
  functionArgs = (lib.evalModules {
    specialArgs = { greeting = "hi"; };
    modules = [
      decls
      ({ config, options, lib, greeting, specialArgs, _prefix, ... }: {
        list = [ greeting (toString config.n) (lib.boolToString (options ? n)) specialArgs.greeting (toString (builtins.length _prefix)) ];
        n = 3;
      })
    ];
  }).config.list;
  argsAttrsetHasOnlyFixed = (eval [ decls { _module.args.pkgs = 1; } (args@{ ... }: { list = builtins.attrNames args; }) ]).config.list;
  moduleArgs = (eval [ decls { _module.args.pkgs = { hello = "hello-pkg"; }; } ({ pkgs, ... }: { list = [ pkgs.hello ]; }) ]).config.list;
  lazyModuleArgs = (eval [ decls { _module.args.broken = throw "never"; } ({ broken, ... }: { n = 1; }) ]).config.n;
  moduleArgsFromModule = (eval [ decls ({ config, ... }: { _module.args.doubled = config.n * 2; n = 21; }) ({ doubled, ... }: { list = [ (toString doubled) ]; }) ]).config.list;
  specialArgsInImports = (lib.evalModules {
    specialArgs.extra = [ (d "via-specialArgs") ];
    modules = [ decls ({ extra, ... }: { imports = extra; }) ];
  }).config.list;
  paths = let r = eval [ decls ./data/mod-a.nix ./data/mod-b.nix ]; in { inherit (r.config) list; files = r.options.list.files; };
  stringPath = (eval [ decls (toString ./data/mod-a.nix) ]).config.list;
  fileModuleMkIf = (eval [ decls ./data/mod-mkif.nix { n = 1; } ]).config.list;
  importCycle = (eval [ decls ./data/cycle-a.nix ]).config.list;
  anonymousNeverDedupe = (eval [ decls { list = [ "x" ]; } { list = [ "x" ]; } ]).config.list;
  keyDedupes = (eval [ decls { key = "k"; list = [ "first" ]; } { key = "k"; list = [ "second" ]; } ]).config.list;
  fileAttr = (eval [ decls { _file = "my-file.nix"; list = [ "a" ]; } { imports = [ { list = [ "b" ]; } ]; _file = "parent.nix"; } ]).options.list.files;
  topLevelMkIf = (eval [ decls (lib.mkIf true { n = 5; }) (lib.mkIf false { list = [ "no" ]; }) ]).config;
  topLevelMkForce = (eval [ decls (lib.mkForce { n = 5; }) { n = 6; } ]).config.n;
  functionReturningMkIf = (eval [ decls ({ config, ... }: lib.mkIf (config.n == 1) { list = [ "yes" ]; }) { n = 1; } ]).config.list;
  requireLegacy = (eval [ decls { require = [ (d "required") ]; } ]).config.list;
  order = (eval [
    decls
    { imports = [ { imports = [ (d "A11") ]; list = [ "A1" ]; } (d "A2") ]; list = [ "A" ]; }
    { imports = [ (d "B1") ]; list = [ "B" ]; }
  ]).config.list;
  orderLines = (eval [ { options.l = mkOption { type = types.lines; }; } { l = "X"; } { l = "Y"; } ]).config.l;
  disabledPath = (eval [ decls ./data/mod-a.nix { disabledModules = [ ./data/mod-a.nix ]; } ]).config.list;
  disabledAbsoluteString = (eval [ decls ./data/mod-a.nix { disabledModules = [ (toString ./data/mod-a.nix) ]; } ]).config.list;
  disabledRelative = (lib.evalModules {
    specialArgs.modulesPath = ./data;
    modules = [ decls ./data/mod-a.nix ./data/mod-b.nix { disabledModules = [ "mod-a.nix" ]; } ];
  }).config.list;
  disabledKey = (eval [ decls { key = "mine"; list = [ "m" ]; } { disabledModules = [ { key = "mine"; } ]; } ]).config.list;
  disabledTakesImports = (eval [ decls ./data/mod-c.nix { disabledModules = [ ./data/mod-c.nix ]; } ]).config.list;
  disabledKeepsSharedImports = (eval [ decls ./data/mod-c.nix ./data/mod-c-child.nix { disabledModules = [ ./data/mod-c.nix ]; } ]).config.list;
  disabledInsideDisabled = (eval [ decls ./data/mod-a.nix { key = "x"; disabledModules = [ ./data/mod-a.nix ]; } { disabledModules = [ { key = "x"; } ]; } ]).config.list;
  checkOff = (eval [ decls { _module.check = false; undeclared.thing = 1; n = 4; } ]).config.n;
  classMatches = (lib.evalModules { class = "nixos"; modules = [ decls { _class = "nixos"; n = 1; } { _class = null; list = [ "any" ]; } ]; }).config;
  graph = map (g: { inherit (g) key file disabled; imports = map (i: i.key) g.imports; })
    (eval [ decls { imports = [ { } ]; } { key = "gone"; } { disabledModules = [ { key = "gone"; } ]; } ]).graph;
}
