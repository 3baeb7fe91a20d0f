# Overridable functions, callPackage, package scopes.
{ lib }:
let
  inherit (builtins) isAttrs attrNames filter intersectAttrs head;
  inherit (lib.trivial) isFunction functionArgs setFunctionArgs;

  # Call `f args` and give the result an `override` that re-calls f with changed arguments.
  makeOverridable = f:
    let
      call = args:
        let
          result = f args;
          overrideWith = changes: args // (if isFunction changes then changes args else changes);
          override = changes: makeOverridable f (overrideWith changes);
        in
        if isAttrs result && !(result ? __functor) then
          result // {
            inherit override;
            overrideDerivation = change: makeOverridable (a: overrideDerivation (f a) change) args;
            ${if result ? overrideAttrs then "overrideAttrs" else null} =
              change: makeOverridable (a: (f a).overrideAttrs change) args;
          }
        else if isFunction result then
          setFunctionArgs result (functionArgs result) // { inherit override; }
        else result;
    in setFunctionArgs call (functionArgs f);

  # Rebuild a derivation with attributes changed by `change drvAttrs`.
  overrideDerivation = drv: change:
    let
      attrs = drv.drvAttrs // change drv;
      rebuilt = derivation attrs;
    in
    rebuilt // {
      overrideDerivation = overrideDerivation rebuilt;
    };

  missingArgs = f: given: autoArgs:
    let formals = functionArgs f; in
    filter (name: !formals.${name} && !(given ? ${name}) && !(autoArgs ? ${name})) (attrNames formals);

  describeArg = f: name:
    let pos = builtins.unsafeGetAttrPos name (functionArgs f); in
    if pos == null then "" else " at ${pos.file}:${toString pos.line}";

  callPackageWith = autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      allArgs = intersectAttrs (functionArgs f) autoArgs // args;
      missing = missingArgs f args autoArgs;
    in
    if missing == [ ] then makeOverridable f allArgs
    else
      let name = head missing; in
      throw "lib.customisation.callPackageWith: Function called without required argument \"${name}\"${describeArg f name}";

  callPackagesWith = autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      allArgs = intersectAttrs (functionArgs f) autoArgs // args;
      packages = f allArgs;
      overridable = name: _: makeOverridable (newArgs: (f newArgs).${name}) allArgs;
    in
    if lib.attrsets.isDerivation packages then
      throw "function passed to callPackagesWith returned a derivation instead of an attribute set of packages"
    else builtins.mapAttrs overridable packages;

  makeScope = newScope: f:
    let
      self = f self // {
        newScope = scope: newScope (self // scope);
        callPackage = self.newScope { };
        overrideScope = g: makeScope newScope (lib.fixedPoints.extends g f);
        packages = f;
      };
    in self;
in
{
  inherit makeOverridable overrideDerivation callPackageWith callPackagesWith makeScope;
}
