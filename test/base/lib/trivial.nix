# Combinators, fixed points, extensions, overridable functions, callPackage, versions.
let lib = import ../../../flakes/base/lib; in
with lib;
let
  base = final: { a = 1; b = final.a + 1; };
  ovA = final: prev: { a = prev.a * 10; };
  ovB = final: prev: { c = final.b + prev.a; };
  extensible = makeExtensible base;
  pkgFn = { name, suffix ? "!" }: { out = name + suffix; };
  callPackage = callPackageWith { name = "auto"; unrelated = 1; };
in
{
  id = id 5;
  const = const 1 2;
  flip = flip (a: b: a - b) 1 10;
  pipe = pipe 2 [ (x: x + 1) (x: x * 10) toString ];
  fix = (fix (self: { a = 1; b = self.a + 1; })).b;
  extends = fix (extends ovA base);
  composeExtensions = fix (extends (composeExtensions ovA ovB) base);
  composeManyExtensions = fix (extends (composeManyExtensions [ ovA ovB ovA ]) base);
  composeNone = fix (extends (composeManyExtensions [ ]) base);
  makeExtensible = { inherit (extensible) a b; };
  extend = let e = extensible.extend ovA; in { inherit (e) a b; again = (e.extend ovB).c; };
  toExtension = [ (fix (extends (toExtension { a = 7; }) base)).b (fix (extends (toExtension (final: { a = 3; })) base)).b ];
  makeOverridable =
    let f = makeOverridable pkgFn { name = "x"; }; in
    [ f.out (f.override { suffix = "?"; }).out (f.override (old: { name = old.name + "y"; })).out
      ((f.override { name = "z"; }).override { suffix = "."; }).out ];
  callPackageWith = [ (callPackage pkgFn { }).out (callPackage pkgFn { name = "given"; }).out
    ((callPackage pkgFn { }).override { suffix = "?"; }).out ];
  callPackageMissing = builtins.tryEval (callPackageWith { } pkgFn { });
  boolToString = [ (boolToString true) (boolToString false) ];
  versionAtLeast = versionAtLeast "2.8" "2.7.1";
  version = [ version trivial.release trivial.codeName trivial.versionSuffix (trivial.revisionWithDefault "rev") ];
  versionIsReleasePlusSuffix = version == trivial.release + trivial.versionSuffix;
  oldestSupportedRelease = [ (trivial.isInOldestRelease 2405) (trivial.isInOldestRelease 9999) ];
  throwIf = [ (throwIf false "no" 1) (builtins.tryEval (throwIf true "yes" 1)) (throwIfNot true "no" 2) ];
  warnIfFalse = warnIf false "not shown" 3;
  assertMsg = [ (assertMsg true "fine") (builtins.tryEval (assertMsg false "bad")) ];
  assertOneOf = assertOneOf "x" 1 [ 1 2 ];
  minMax = [ (min 1 2) (max 1 2) (mod 7 3) (mod (-7) 3) (compare 1 2) (compare "b" "a") ];
  functionArgs = [ (functionArgs ({ a, b ? 1 }: a)) (functionArgs (setFunctionArgs (x: x) { q = true; })) ];
  isFunction = [ (isFunction (x: x)) (isFunction { __functor = self: x: x; }) (isFunction 1) ];
  toFunction = [ ((toFunction 5) 0) ((toFunction (x: x + 1)) 1) ];
  mapNullable = [ (mapNullable (x: x + 1) null) (mapNullable (x: x + 1) 1) ];
  toHexString = [ (toHexString 255) (toHexString 0) (toBaseDigits 2 6) (fromHexString "ff") ];
  importJSON = importJSON ./data/value.json;
  mkOptionExported = (mkOption { default = 1; }) // { };
  namespaces = map (n: builtins.isAttrs lib.${n}) [ "trivial" "attrsets" "lists" "strings" "options" "types" "modules" "fixedPoints" "customisation" "generators" "asserts" "debug" "versions" ];
  unfix = (lib.__unfix__ lib).trivial.release;
  wholeLibForces = builtins.deepSeq lib true;
  fakeHashes = [ fakeHash fakeSha256 (builtins.stringLength fakeSha512) ];
  builtinsReexported = [ (pathExists ./data/value.json) (pathExists ./data/absent) (isPath ./data) ];
  importApply = let r = evalModules { modules = [ (modules.importApply ./data/applied.nix { greeting = "hi"; }) ]; }; in
    { value = r.config.applied; declarations = r.options.applied.declarations; };
  meta = let drv = { type = "derivation"; name = "tool-1.0"; outPath = "/out"; bin = { outPath = "/bin-out"; }; meta.mainProgram = "tool-cli"; }; in
    [ (getExe drv) (getExe' drv "other") (lowPrio { meta.a = 1; }).meta (hiPrio { }).meta.priority ];
}
