# Small combinators, numbers, booleans, version information and warnings.
{ lib }:
let
  inherit (builtins) isFunction functionArgs getEnv elem pathExists readFile;

  id = x: x;
  const = x: _: x;
  flip = f: a: b: f b a;
  pipe = builtins.foldl' (value: f: f value);
  concat = a: b: a ++ b;
  or = a: b: a || b;
  and = a: b: a && b;
  xor = a: b: a != b;
  boolToString = b: if b then "true" else "false";
  boolToYesNo = b: if b then "yes" else "no";
  mergeAttrs = a: b: a // b;
  mapNullable = f: x: if x == null then null else f x;
  defaultTo = fallback: x: if x == null then fallback else x;

  min = a: b: if a < b then a else b;
  max = a: b: if a > b then a else b;
  mod = a: b: a - (a / b) * b;
  compare = a: b: if a < b then -1 else if a > b then 1 else 0;
  splitByAndCompare = pred: yes: no: a: b:
    if pred a then (if pred b then yes a b else -1)
    else if pred b then 1
    else no a b;

  # Version of this library. A flake that embeds it may override versionSuffix and
  # revisionWithDefault through `lib.extend`.
  release = "25.11";
  codeName = "Xantusia";
  oldestSupportedRelease = 2505;
  isInOldestRelease = year: year <= oldestSupportedRelease;
  versionSuffix =
    let file = ./.version-suffix; in
    if pathExists file then readFile file else "pre-git";
  version = release + versionSuffix;
  revisionWithDefault = fallback:
    let file = ./.git-revision; in
    if pathExists file then lib.strings.fileContents file else fallback;
  inNixShell = getEnv "IN_NIX_SHELL" != "";
  inPureEvalMode = !(builtins ? currentSystem);

  importJSON = file: builtins.fromJSON (readFile file);
  importTOML = file: builtins.fromTOML (readFile file);

  # Warnings go through `builtins.warn` where Nix has it; older Nix gets a trace line.
  escape = builtins.fromJSON ''"\u001b"'';
  abortOnWarn = elem (getEnv "NIX_ABORT_ON_WARN") [ "1" "true" "yes" ];
  warn =
    if builtins ? warn then builtins.warn
    else msg: value:
      if abortOnWarn then
        throw "${msg}\nNIX_ABORT_ON_WARN=true; warnings are treated as unrecoverable errors."
      else builtins.trace "${escape}[1;35mevaluation warning:${escape}[0m ${msg}" value;
  warnIf = cond: msg: if cond then warn msg else id;
  warnIfNot = cond: msg: if cond then id else warn msg;
  throwIf = cond: msg: if cond then throw msg else id;
  throwIfNot = cond: msg: if cond then id else throw msg;
  info = msg: builtins.trace "INFO: ${msg}";
  showWarnings = warnings: value: lib.lists.foldr (w: acc: warn w acc) value warnings;

  # Functions that remember which named arguments they take (for callPackage and friends).
  setFunctionArgs = f: args: { __functor = self: f; __functionArgs = args; };
  functionArgsOf = f:
    if f ? __functor then f.__functionArgs or (functionArgsOf (f.__functor f))
    else functionArgs f;
  isFunctionLike = f: isFunction f || (f ? __functor && isFunctionLike (f.__functor f));
  mirrorFunctionArgs = source: target: setFunctionArgs target (functionArgsOf source);
  toFunction = v: if isFunctionLike v then v else _: v;

  toBaseDigits = base: n:
    assert base >= 2;
    assert n >= 0;
    let go = x: if x < base then [ x ] else go (x / base) ++ [ (mod x base) ];
    in go n;
  toHexString = n:
    let digit = d: builtins.elemAt [ "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" "A" "B" "C" "D" "E" "F" ] d;
    in builtins.concatStringsSep "" (map digit (toBaseDigits 16 n));
  fromHexString = s:
    let
      parsed = builtins.fromTOML "v = 0x${lib.strings.toLower s}";
    in parsed.v;
in
{
  inherit id const flip pipe concat or and xor boolToString boolToYesNo mergeAttrs mapNullable
    defaultTo min max mod compare splitByAndCompare release codeName oldestSupportedRelease
    isInOldestRelease versionSuffix version revisionWithDefault inNixShell inPureEvalMode
    importJSON importTOML warn warnIf warnIfNot throwIf throwIfNot info showWarnings
    setFunctionArgs mirrorFunctionArgs toFunction toBaseDigits toHexString fromHexString;
  functionArgs = functionArgsOf;
  isFunction = isFunctionLike;
  inherit (builtins) seq deepSeq bitAnd bitOr bitXor lessThan add sub isInt isBool isFloat
    isString isPath typeOf pathExists readFile genericClosure;
  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  fakeSha256 = "0000000000000000000000000000000000000000000000000000";
  fakeSha512 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
  nixpkgsVersion = version;
}
