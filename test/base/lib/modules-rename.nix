# Renamed, aliased, removed and merged options, plus the assertions/warnings hooks
# (spec §1.10–1.11). Warnings and traces go to stderr (recorded in the .stderr.exp file).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types mkDefault mkForce;
  checks = {
    options.assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    options.warnings = mkOption { type = types.listOf types.str; default = [ ]; };
  };
  decls = {
    options.new.port = mkOption { type = types.port; default = 1; };
    options.new.names = mkOption { type = types.listOf types.str; default = [ ]; };
    options.combined = mkOption { type = types.str; default = "unset"; };
  };
  eval = modules: lib.evalModules { modules = [ checks decls ] ++ modules; };
  renamed = eval [
    (lib.mkRenamedOptionModule [ "old" "port" ] [ "new" "port" ])
    { _file = "user.nix"; old.port = 8080; }
  ];
  renamedDefault = eval [
    (lib.mkRenamedOptionModule [ "old" "port" ] [ "new" "port" ])
    { old.port = mkDefault 8080; }
    { new.port = 9090; }
  ];
  aliased = eval [
    (lib.mkAliasOptionModule [ "alias" "names" ] [ "new" "names" ])
    { alias.names = [ "a" ]; }
    { new.names = [ "n" ]; }
  ];
  removed = eval [
    (lib.mkRemovedOptionModule [ "gone" ] "Use `new.port' instead.")
    { _file = "uses-gone.nix"; gone = 5; }
  ];
  removedUnused = eval [ (lib.mkRemovedOptionModule [ "gone" ] "Use `new.port' instead.") ];
  merged = eval [
    (lib.mkMergedOptionModule [ [ "part" "a" ] [ "part" "b" ] ] [ "combined" ]
      (config: "${toString config.part.a}+${toString config.part.b}"))
    { _file = "parts.nix"; part.a = "x"; part.b = "y"; }
  ];
  changed = eval [
    (lib.mkChangedOptionModule [ "oldFlag" ] [ "combined" ] (config: if config.oldFlag then "on" else "off"))
    { oldFlag = true; }
  ];
  withChecks = r: lib.asserts.checkAssertWarn r.config.assertions r.config.warnings r.config;
in
{
  renamed = { port = (withChecks renamed).new.port; warnings = renamed.config.warnings; readOld = renamed.config.old.port; };
  renamedKeepsPriority = renamedDefault.config.new.port;
  aliased = { inherit (aliased.config.new) names; aliasValue = lib.concatStringsSep "," aliased.config.alias.names; warnings = aliased.config.warnings; };
  removedAssertions = removed.config.assertions;
  removedUnused = (withChecks removedUnused).new.port;
  merged = { value = merged.config.combined; warnings = merged.config.warnings; };
  changed = changed.config.combined;
  renamedWith = (eval [
    (lib.mkRenamedOptionModuleWith { sinceRelease = 9999; from = [ "recent" ]; to = [ "new" "port" ]; })
    { recent = 7; }
  ]).config.warnings;
  checkAssertWarnPasses = lib.asserts.checkAssertWarn [ { assertion = true; message = "fine"; } ] [ "first warning" "second warning" ] "result";
}
