# Warnings reach stderr in order (recorded, normalised, in warnings.stderr.exp).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types;
in
{
  warn = lib.warn "plain warning" 1;
  warnIf = [ (lib.warnIf true "conditional warning" 2) (lib.warnIf false "never" 3) (lib.warnIfNot false "negated warning" 4) ];
  showWarnings = lib.trivial.showWarnings [ "first of two" "second of two" ] 5;
  deprecatedArgs = (lib.evalModules {
    args.extra = "passed";
    check = false;
    modules = [ ({ extra, ... }: { options.e = mkOption { default = extra; }; config.undeclared = 1; }) ];
  }).config.e;
  traceVal = lib.debug.traceVal 6;
}
