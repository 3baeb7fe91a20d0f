# String helpers: joining, prefixes, escaping (shell, Nix, regex, XML), search paths, names.
{ lib }:
let
  inherit (builtins) concatStringsSep stringLength substring replaceStrings match split length
    elemAt head filter isString isList isAttrs isPath isInt isFloat isBool genList foldl' typeOf;

  concatStrings = concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatImapStrings = f: list: concatStrings (lib.lists.imap1 f list);
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  concatImapStringsSep = sep: f: list: concatStringsSep sep (lib.lists.imap1 f list);
  concatLines = concatMapStrings (line: line + "\n");
  replicate = n: s: concatStrings (lib.lists.replicate n s);

  intersperse = sep: list:
    if list == [ ] then [ ]
    else builtins.tail (builtins.concatMap (x: [ sep x ]) list);

  optionalString = cond: s: if cond then s else "";

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  hasSuffix = suffix: s:
    let n = stringLength s; m = stringLength suffix; in
    n >= m && substring (n - m) m s == suffix;
  hasInfix = infix: s: match ".*${escapeRegex infix}.*" "${s}" != null;

  removePrefix = prefix: s:
    if hasPrefix prefix s then substring (stringLength prefix) (-1) s else s;
  removeSuffix = suffix: s:
    if hasSuffix suffix s then substring 0 (stringLength s - stringLength suffix) s else s;

  stringToCharacters = s: genList (i: substring i 1 s) (stringLength s);
  stringAsChars = f: s: concatMapStrings f (stringToCharacters s);

  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  toLower = replaceStrings upperChars lowerChars;
  toUpper = replaceStrings lowerChars upperChars;
  toSentenceCase = s:
    if s == "" then s else toUpper (substring 0 1 s) + toLower (substring 1 (-1) s);

  # Characters 1..127, for byte-value conversions of ASCII text.
  asciiTable = genList
    (i:
      let n = i + 1; in
      builtins.fromJSON ''"\u00${lib.trivial.toHexString (n / 16)}${lib.trivial.toHexString (lib.trivial.mod n 16)}"'')
    127;
  asciiCodes = builtins.listToAttrs (lib.lists.imap1 (i: c: { name = c; value = i; }) asciiTable);
  charToInt = c: asciiCodes.${c} or (throw "charToInt: not an ASCII character: ${c}");

  escape = chars: replaceStrings chars (map (c: "\\${c}") chars);
  escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");
  escapeNixString = s: escape [ "$" ] (builtins.toJSON s);
  escapeNixIdentifier = s:
    if match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null then s else escapeNixString s;
  escapeXML = replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];
  escapeC = chars: replaceStrings chars
    (map (c: "\\x" + toLower (fixedWidthString 2 "0" (lib.trivial.toHexString (charToInt c)))) chars);

  # Quote for POSIX sh unless the argument only has characters that never need it.
  escapeShellArg = arg:
    let s = toString arg; in
    if match "[[:alnum:],._+:@%/-]+" s != null then s
    else "'${replaceStrings [ "'" ] [ "'\\''" ] s}'";
  escapeShellArgs = concatMapStringsSep " " escapeShellArg;

  isValidPosixName = name: match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;
  toShellVar = name: value:
    lib.trivial.throwIfNot (isValidPosixName name) "toShellVar: ${name} is not a valid shell variable name" (
      if isAttrs value && !isStringLike value then
        "declare -A ${name}=(${concatStringsSep " "
          (lib.attrsets.mapAttrsToList (k: v: "[${escapeShellArg k}]=${escapeShellArg v}") value)})"
      else if isList value then "declare -a ${name}=(${escapeShellArgs value})"
      else "${name}=${escapeShellArg value}");
  toShellVars = vars: concatStringsSep "\n" (lib.attrsets.mapAttrsToList toShellVar vars);

  splitString = sep: s:
    let pieces = filter isString (split (escapeRegex (toString sep)) (toString s));
    in map (addContextFrom s) pieces;
  addContextFrom = source: target: substring 0 0 source + target;

  makeSearchPath = subDir: paths:
    concatStringsSep ":" (map (p: toString p + "/" + subDir) (filter (p: p != null) paths));
  makeSearchPathOutput = output: subDir: pkgs:
    makeSearchPath subDir (map (lib.attrsets.getOutput output) pkgs);
  makeBinPath = makeSearchPathOutput "bin" "bin";
  makeLibraryPath = makeSearchPathOutput "lib" "lib";
  makeIncludePath = makeSearchPathOutput "dev" "include";

  normalizePath = s:
    concatStringsSep "/" (filter (part: isString part) (split "/+" s));

  isStringLike = x: isString x || isPath x || x ? outPath || x ? __toString;
  isCoercibleToString = x:
    lib.lists.elem (typeOf x) [ "path" "string" "null" "int" "float" "bool" ]
    || (isList x && lib.lists.all isCoercibleToString x)
    || x ? outPath || x ? __toString;
  isConvertibleWithToString = isCoercibleToString;
  isStorePath = x:
    if isStringLike x then
      let s = toString x; in substring 0 1 s == "/" && dirOf s == builtins.storeDir
    else false;

  toInt = s:
    let
      found = match "[[:space:]]*(-?)([0-9]+)[[:space:]]*" s;
      digits = elemAt found 1;
      bad = throw "toInt: Could not convert ${escapeNixString s} to int.";
    in
    if found == null then bad
    else if stringLength digits > 1 && substring 0 1 digits == "0" then bad
    else builtins.fromJSON (head found + digits);
  toIntBase10 = s:
    let
      found = match "[[:space:]]*(-?)0*([0-9]+)[[:space:]]*" s;
    in
    if found == null then throw "toIntBase10: Could not convert ${escapeNixString s} to int."
    else builtins.fromJSON (head found + elemAt found 1);

  fileContents = file: removeSuffix "\n" (builtins.readFile file);

  sanitizeDerivationName = name:
    let
      plain = builtins.unsafeDiscardStringContext name;
      valid = match "[[:alnum:]+_?=-][[:alnum:]+._?=-]*" plain != null;
      noLeadingDots = head (match "\\.*(.*)" plain);
      replaced = concatMapStrings (part: if isList part then "-" else part)
        (split "[^[:alnum:]+._?=-]+" noLeadingDots);
      n = stringLength replaced;
      clipped = substring (if n > 207 then n - 207 else 0) (-1) replaced;
    in
    if stringLength plain <= 207 && valid then plain
    else if clipped == "" then "unknown" else clipped;

  getName = x:
    if isString x then (builtins.parseDrvName x).name
    else x.pname or (builtins.parseDrvName x.name).name;
  getVersion = x:
    if isString x then (builtins.parseDrvName x).version
    else x.version or (builtins.parseDrvName x.name).version;

  versionOlder = a: b: builtins.compareVersions b a == 1;
  versionAtLeast = a: b: !(versionOlder a b);

  enableFeature = flag: feature: "--${if flag then "enable" else "disable"}-${feature}";
  enableFeatureAs = flag: feature: value: enableFeature flag feature + optionalString flag "=${value}";
  withFeature = flag: feature: "--${if flag then "with" else "without"}-${feature}";
  withFeatureAs = flag: feature: value: withFeature flag feature + optionalString flag "=${value}";

  fixedWidthString = width: filler: s:
    let missing = width - stringLength s; in
    if missing <= 0 then s else replicate missing filler + s;
  fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);
  floatToString = toString;

  commonPrefixLength = a: b:
    let
      n = lib.trivial.min (stringLength a) (stringLength b);
      go = i: if i < n && substring i 1 a == substring i 1 b then go (i + 1) else i;
    in go 0;
  commonSuffixLength = a: b:
    let
      la = stringLength a; lb = stringLength b;
      n = lib.trivial.min la lb;
      go = i: if i < n && substring (la - i - 1) 1 a == substring (lb - i - 1) 1 b then go (i + 1) else i;
    in go 0;

  # Edit distance (insertions, deletions, substitutions), one row of the table at a time.
  levenshtein = a: b:
    let
      as = stringToCharacters a;
      bs = stringToCharacters b;
      lb = length bs;
      nextRow = row: i: ca:
        foldl'
          (acc: j:
            let
              cost = if ca == elemAt bs (j - 1) then 0 else 1;
              best = lib.trivial.min
                (lib.trivial.min (elemAt row j + 1) (elemAt acc (j - 1) + 1))
                (elemAt row (j - 1) + cost);
            in acc ++ [ best ])
          [ i ]
          (lib.lists.range 1 lb);
      final = foldl' (row: i: nextRow row i (elemAt as (i - 1))) (lib.lists.range 0 lb)
        (lib.lists.range 1 (length as));
    in elemAt final lb;
  levenshteinAtMost = k: a: b:
    let la = stringLength a; lb = stringLength b; in
    (if la > lb then la - lb else lb - la) <= k && levenshtein a b <= k;

  trimWith = { start ? false, end ? false }: s:
    let
      ws = "[ \t\n\r]*";
      pattern =
        if start && end then "${ws}(.*[^ \t\n\r])${ws}"
        else if start then "${ws}(.*)"
        else if end then "(.*[^ \t\n\r])${ws}"
        else "(.*)";
      found = match pattern s;
    in if found == null then "" else head found;
  trim = trimWith { start = true; end = true; };

  # Percent-encodes everything but the characters URLs never need escaped (RFC 3986).
  escapeURL =
    let
      unreserved = lowerChars ++ upperChars ++ stringToCharacters "0123456789-._~";
      hex = c: "%" + fixedWidthString 2 "0" (lib.trivial.toHexString (charToInt c));
      encoded = lib.lists.subtractLists unreserved (builtins.attrNames asciiCodes);
    in replaceStrings encoded (map hex encoded);

  # The part of a URL's file name before `sep` ("…/hello-2.12.tar.gz" "-" ⇒ "hello").
  nameFromURL = url: sep:
    let
      file = lib.lists.last (splitString "/" url);
      name = head (splitString sep file);
    in
    if name == file then throw "nameFromURL: the file name of `${url}' does not contain `${sep}'" else name;

  # Build-system flags (facts of meson's and CMake's command lines).
  mesonOption = feature: value: "-D${feature}=${value}";
  mesonBool = feature: cond: mesonOption feature (if cond then "true" else "false");
  mesonEnable = feature: cond: mesonOption feature (if cond then "enabled" else "disabled");
  cmakeOptionType = type: feature: value: "-D${feature}:${toUpper type}=${value}";
  cmakeBool = feature: cond: cmakeOptionType "bool" feature (if cond then "TRUE" else "FALSE");
  cmakeFeature = feature: value: cmakeOptionType "string" feature value;
in
{
  inherit escapeURL nameFromURL mesonOption mesonBool mesonEnable cmakeOptionType cmakeBool cmakeFeature;
  inherit concatStrings concatMapStrings concatImapStrings concatMapStringsSep
    concatImapStringsSep concatLines replicate intersperse optionalString hasPrefix hasSuffix
    hasInfix removePrefix removeSuffix stringToCharacters stringAsChars lowerChars upperChars
    toLower toUpper toSentenceCase charToInt escape escapeRegex escapeNixString
    escapeNixIdentifier escapeXML escapeC escapeShellArg escapeShellArgs isValidPosixName
    toShellVar toShellVars splitString addContextFrom makeSearchPath makeSearchPathOutput
    makeBinPath makeLibraryPath makeIncludePath normalizePath isStringLike isCoercibleToString
    isConvertibleWithToString isStorePath toInt toIntBase10 fileContents sanitizeDerivationName
    getName getVersion versionOlder versionAtLeast enableFeature enableFeatureAs withFeature
    withFeatureAs fixedWidthString fixedWidthNumber floatToString commonPrefixLength
    commonSuffixLength levenshtein levenshteinAtMost trimWith trim;
  inherit (builtins) concatStringsSep stringLength substring replaceStrings match split isString
    unsafeDiscardStringContext hasContext toJSON fromJSON compareVersions splitVersion;
  replaceChars = replaceStrings;
}
