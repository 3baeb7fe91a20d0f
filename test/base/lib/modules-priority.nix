# mkIf, mkMerge, priorities (mkOverride and friends) and ordering (mkOrder) (spec §1.5).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types mkIf mkMerge mkOverride mkDefault mkForce mkOptionDefault
    mkVMOverride mkImageMediaOverride mkBefore mkAfter mkOrder;
  decls = {
    options.s = mkOption { type = types.str; default = "default"; };
    options.l = mkOption { type = types.listOf types.str; default = [ "default" ]; };
    options.n = mkOption { type = types.int; };
    options.b = mkOption { type = types.bool; default = false; };
    options.lines = mkOption { type = types.lines; default = ""; };
  };
  eval = modules: (lib.evalModules { modules = [ decls ] ++ modules; });
  cfg = modules: (eval modules).config;
  opt = modules: (eval modules).options;
in
{
  defaultUsed = (cfg [ { n = 1; } ]).s;
  plainBeatsDefault = (cfg [ { s = "plain"; n = 1; } ]).s;
  listDefaultDropped = (cfg [ { l = [ "x" ]; n = 1; } ]).l;
  mkDefault = (cfg [ { s = mkDefault "d"; n = 1; } ]).s;
  mkDefaultLosesToPlain = (cfg [ { s = mkDefault "d"; } { s = "p"; n = 1; } ]).s;
  mkForceWins = (cfg [ { s = mkForce "forced"; } { s = "plain"; n = 1; } ]).s;
  mkVMOverrideWins = (cfg [ { s = mkVMOverride "vm"; } { s = mkForce "forced"; n = 1; } ]).s;
  mkImageMediaOverride = (cfg [ { s = mkImageMediaOverride "media"; } { s = mkForce "forced"; n = 1; } ]).s;
  mkOverrideNumber = (cfg [ { s = mkOverride 70 "seventy"; } { s = mkOverride 80 "eighty"; n = 1; } ]).s;
  mkOptionDefaultWithDefaultList = (cfg [ { l = mkOptionDefault [ "optdef" ]; n = 1; } ]).l;
  forcedListDropsOthers = (cfg [ { l = mkForce [ "f1" ]; } { l = [ "p" ]; } { l = mkForce [ "f2" ]; n = 1; } ]).l;
  mkIfTrue = (cfg [ { s = mkIf true "yes"; n = 1; } ]).s;
  mkIfFalse = (cfg [ { s = mkIf false "no"; n = 1; } ]).s;
  mkIfOnSet = (cfg [ (mkIf true { s = "set-yes"; }) { config = mkIf false { l = [ "never" ]; }; } { n = 1; } ]);
  mkIfReadsConfig = (cfg [ ({ config, ... }: { s = mkIf config.b "b-on"; }) { b = true; n = 1; } ]).s;
  mkIfConfigShapeLazy = (cfg [ ({ config, ... }: mkIf (config.n == 7) { s = "seven"; b = true; }) { n = 7; } ]);
  mkMerge = (cfg [ { l = mkMerge [ [ "a" ] (mkIf false [ "b" ]) [ "c" ] ]; n = 1; } ]).l;
  mkMergeSets = (cfg [ { config = mkMerge [ { s = "m"; } { n = 2; } (mkIf false { b = true; }) ]; } ]);
  mkMergeNested = (cfg [ { config = mkMerge [ (mkMerge [ { l = [ "x" ]; } ]) (mkIf true (mkMerge [ { l = [ "y" ]; } { n = 1; } ])) ]; } ]).l;
  mkOverrideOnSet = (cfg [ (mkForce { s = "forced-set"; }) { s = "plain"; n = 1; } ]).s;
  mkForceOfMkIf = (cfg [ { s = mkForce (mkIf true "forced-if"); n = 1; } { s = "plain"; } ]).s;
  mkBeforeAfter = (cfg [ { l = mkAfter [ "after" ]; } { l = [ "middle" ]; } { l = mkBefore [ "before" ]; n = 1; } ]).l;
  mkOrder = (cfg [ { l = mkOrder 1200 [ "1200" ]; } { l = mkOrder 600 [ "600" ]; } { l = [ "1000" ]; } { l = mkOrder 600 [ "600b" ]; n = 1; } ]).l;
  mkOrderLines = (cfg [ { lines = mkAfter "last"; } { lines = mkBefore "first"; } { lines = "mid"; n = 1; } ]).lines;
  mkOrderInsideMkIf = (cfg [ { l = mkIf true (mkBefore [ "b" ]); } { l = [ "a" ]; n = 1; } ]).l;
  highestPrio = map (o: o.s.highestPrio) [
    (opt [ ])
    (opt [ { s = mkDefault "d"; } ])
    (opt [ { s = "p"; } ])
    (opt [ { s = mkForce "f"; } ])
  ];
  highestPrioUndeclared = (opt [ ]).n.highestPrio;
  definitionsAfterFilter = (opt [ { l = [ "a" ]; } { l = mkDefault [ "b" ]; } { l = mkIf false [ "c" ]; } ]).l.definitions;
  definitionsWithOrder = (opt [ { l = mkBefore [ "a" ]; } { l = [ "b" ]; } ]).l.definitionsWithLocations;
  mkAssertOk = (cfg [ { s = lib.mkAssert true "never shown" "asserted"; n = 1; } ]).s;
  mkAliasDefinitions = (cfg [
    { options.alias = mkOption { type = types.listOf types.str; default = [ ]; }; }
    ({ options, ... }: { l = lib.mkAliasDefinitions options.alias; })
    { alias = [ "via-alias" ]; n = 1; }
  ]).l;
  mkAliasNotDefined = (cfg [
    { options.alias = mkOption { type = types.listOf types.str; }; }
    ({ options, ... }: { l = lib.mkAliasDefinitions options.alias; })
    { n = 1; }
  ]).l;
  mkAliasAndWrapDefsWithPriority = (opt [
    { options.alias = mkOption { type = types.str; }; }
    ({ options, ... }: lib.mkAliasAndWrapDefsWithPriority (x: { s = x; }) options.alias)
    { alias = mkDefault "aliased"; n = 1; }
  ]).s.highestPrio;
  mkDerivedConfig = (cfg [
    ({ options, ... }: { lines = lib.mkDerivedConfig options.s (s: "derived from ${s}"); })
    { s = "x"; n = 1; }
  ]).lines;
  apply = (cfg [ { options.a = mkOption { type = types.int; default = 2; apply = x: x * 10; }; } { n = 1; } ]).a;
  priorityHelpers = lib.mapAttrs (_: v: v.priority) {
    default = mkDefault 1; force = mkForce 1; optionDefault = mkOptionDefault 1; vm = mkVMOverride 1;
    before = mkBefore 1; after = mkAfter 1;
  };
  constants = [ lib.modules.defaultOverridePriority lib.modules.defaultOrderPriority (lib.mkOptionDefault 1).priority ];
}
