# Option types: descriptions, checks, merges and the type merging of repeated declarations
# (spec §1.6).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types mkIf mkDefault;
  t = types;
  # Merge definitions (one module each, in order) of an option of type `type`.
  merged = type: values: (lib.evalModules {
    modules = [ { options.o = mkOption { inherit type; }; } ]
      ++ map (v: { o = v; }) (lib.reverseList values);
  }).config.o;
  fakeDrv = name: { type = "derivation"; inherit name; outPath = "${builtins.storeDir}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-${name}"; };
  allTypes = {
    inherit (t) bool boolByOr int port float number str nonEmptyStr singleLineStr lines commas envVar path
      pathInStore package attrs anything unspecified raw optionType deferredModule;
    ints-between = t.ints.between 1 5;
    ints-unsigned = t.ints.unsigned; ints-positive = t.ints.positive;
    ints-u8 = t.ints.u8; ints-u16 = t.ints.u16; ints-u32 = t.ints.u32; ints-s8 = t.ints.s8; ints-s16 = t.ints.s16; ints-s32 = t.ints.s32;
    numbers-between = t.numbers.between 0 1; numbers-nonnegative = t.numbers.nonnegative; numbers-positive = t.numbers.positive;
    strMatching = t.strMatching "[a-z]+";
    separatedString = t.separatedString "; ";
    concatenated = t.separatedString "";
    enum = t.enum [ "a" 1 true ];
    enum1 = t.enum [ "only" ];
    enum0 = t.enum [ ];
    nullOr = t.nullOr t.str;
    nullOrList = t.nullOr (t.listOf t.str);
    listOf = t.listOf t.int;
    listOfEither = t.listOf (t.either t.int t.str);
    listOfPort = t.listOf t.port;
    nonEmptyListOf = t.nonEmptyListOf t.str;
    attrsOf = t.attrsOf t.bool;
    attrsOfList = t.attrsOf (t.listOf t.str);
    lazyAttrsOf = t.lazyAttrsOf t.int;
    either = t.either t.int t.str;
    eitherNested = t.either (t.either t.int t.bool) (t.nullOr t.str);
    oneOf = t.oneOf [ t.int t.str t.bool ];
    uniq = t.uniq t.int;
    unique = t.unique { message = "m"; } (t.listOf t.str);
    coercedTo = t.coercedTo t.int toString t.str;
    functionTo = t.functionTo t.int;
    submodule = t.submodule { };
    submoduleDescribed = t.submoduleWith { modules = [ ]; description = "custom thing"; };
    freeformSubmodule = t.submodule { freeformType = t.attrsOf t.str; };
    passwdEntry = t.passwdEntry t.str;
    shellPackage = t.shellPackage;
  };
in
{
  descriptions = lib.mapAttrs (_: type: type.description) allTypes;
  names = lib.mapAttrs (_: type: type.name) allTypes;
  checks = {
    bool = map t.bool.check [ true 1 ];
    int = map t.int.check [ 1 1.5 "1" ];
    port = map t.port.check [ 0 65535 65536 (-1) ];
    between = map (t.ints.between 1 5).check [ 0 1 5 6 ];
    unsigned = map t.ints.unsigned.check [ 0 (-1) ];
    positive = map t.ints.positive.check [ 0 1 ];
    s8 = map t.ints.s8.check [ (-128) 127 128 ];
    float = map t.float.check [ 1.5 1 ];
    number = map t.number.check [ 1 1.5 "x" ];
    str = map t.str.check [ "a" ./data 1 ];
    nonEmptyStr = map t.nonEmptyStr.check [ "a" "" " \n" ];
    singleLineStr = map t.singleLineStr.check [ "a" "a\n" "a\nb" ];
    strMatching = map (t.strMatching "[a-z]+").check [ "abc" "ABC" "" ];
    lines = map t.lines.check [ "a" 1 ];
    path = map t.path.check [ ./data "/abs" "rel" { outPath = "/x"; } 1 ];
    pathInStore = map t.pathInStore.check [ "${builtins.storeDir}/x" "/tmp/x" ];
    package = map t.package.check [ (fakeDrv "p") "${builtins.storeDir}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x" "/tmp/x" { } ];
    attrs = map t.attrs.check [ { } [ ] ];
    enum = map (t.enum [ "a" 1 ]).check [ "a" 1 "b" ];
    nullOr = map (t.nullOr t.int).check [ null 1 "x" ];
    listOf = map (t.listOf t.int).check [ [ ] [ "not checked here" ] 1 ];
    nonEmptyListOf = map (t.nonEmptyListOf t.int).check [ [ ] [ 1 ] ];
    attrsOf = map (t.attrsOf t.int).check [ { } [ ] ];
    either = map (t.either t.int t.bool).check [ 1 true "x" ];
    coercedTo = map (t.coercedTo t.int toString t.str).check [ 1 "x" true ];
    functionTo = map (t.functionTo t.int).check [ (x: x) { __functor = self: x: x; } 1 ];
    submodule = map (t.submodule { }).check [ { } (x: x) ./data 1 ];
    optionType = map t.optionType.check [ t.int { } ];
    passwdEntry = map (t.passwdEntry t.str).check [ "ok" "no:colon" "no\nnewline" ];
    raw = t.raw.check (throw "raw never inspects");
  };
  merges = {
    boolEqual = merged t.bool [ true true ];
    boolByOr = merged t.boolByOr [ false true false ];
    intEqual = merged t.int [ 3 3 ];
    lines = merged t.lines [ "a" "b" "c" ];
    commas = merged t.commas [ "a" "b" ];
    envVar = merged t.envVar [ "/a" "/b" ];
    separated = merged (t.separatedString "") [ "a" "b" ];
    singleLineStr = merged t.singleLineStr [ "one\n" ];
    attrs = merged t.attrs [ { a = 1; b = 1; } { b = 2; c = { d = 1; }; } { c = { e = 1; }; } ];
    listOf = merged (t.listOf t.int) [ [ 1 ] [ 2 3 ] [ ] ];
    listOfMkIf = merged (t.listOf t.int) [ [ 1 (mkIf false 2) (mkIf true 3) ] ];
    attrsOf = merged (t.attrsOf t.int) [ { a = 1; } { b = 2; c = mkIf false 3; } { a = mkDefault 5; } ];
    attrsOfLists = merged (t.attrsOf (t.listOf t.str)) [ { a = [ "x" ]; } { a = [ "y" ]; b = [ ]; } ];
    attrsOfVanished = builtins.attrNames (merged (t.attrsOf t.int) [ { a = mkIf false 1; b = 2; } ]);
    lazyAttrsOfKeepsNames = builtins.attrNames (merged (t.lazyAttrsOf t.int) [ { a = mkIf false 1; b = 2; } ]);
    lazyAttrsOfEmptyValue = (merged (t.lazyAttrsOf (t.listOf t.int)) [ { a = mkIf false [ 1 ]; } ]).a;
    lazyAttrsOfLazy = (merged (t.lazyAttrsOf t.int) [ { a = throw "lazy"; b = 2; } ]).b;
    nullOrNull = merged (t.nullOr t.int) [ null null ];
    nullOrValue = merged (t.nullOr (t.listOf t.int)) [ [ 1 ] [ 2 ] ];
    enum = merged (t.enum [ "a" "b" ]) [ "a" "a" ];
    eitherLeft = merged (t.either (t.listOf t.int) t.str) [ [ 1 ] [ 2 ] ];
    eitherRight = merged (t.either t.int t.lines) [ "a" "b" ];
    oneOf = merged (t.oneOf [ t.int t.bool (t.listOf t.str) ]) [ [ "a" ] [ "b" ] ];
    uniq = merged (t.uniq (t.listOf t.int)) [ [ 1 2 ] ];
    coercedTo = merged (t.coercedTo t.int (n: [ (toString n) ]) (t.listOf t.str)) [ 1 [ "two" ] 3 ];
    functionTo = (merged (t.functionTo (t.listOf t.int)) [ (x: [ x ]) (x: [ (x + 1) ]) ]) 10;
    functionToAttrs = (merged (t.functionTo (t.attrsOf t.int)) [ (x: { a = x; }) (x: { b = x; }) ]) 1;
    anythingSets = merged t.anything [ { a = 1; b.c = [ 1 ]; f = x: { r = x; }; } { a = 1; b.d = "x"; f = x: { s = x; }; } ];
    anythingFunction = (merged t.anything [ { f = x: { r = x; }; } { f = x: { s = x; }; } ]).f 1;
    anythingEqual = merged t.anything [ [ 1 2 ] [ 1 2 ] ];
    anythingMkIf = merged t.anything [ { a = mkIf false 1; b = mkIf true 2; } ];
    unspecifiedOne = merged t.unspecified [ "one" ];
    unspecifiedLists = merged t.unspecified [ [ 1 ] [ 2 ] ];
    unspecifiedSets = merged t.unspecified [ { a = 1; } { b = 2; } ];
    unspecifiedBools = merged t.unspecified [ false true ];
    unspecifiedStrings = merged t.unspecified [ "a" "b" ];
    unspecifiedInts = merged t.unspecified [ 4 4 ];
    raw = merged t.raw [ { _type = "weird"; x = 1; } ];
    package = (merged t.package [ (fakeDrv "pkg") ]).name;
    optionType = (merged t.optionType [ t.int ]).description;
    optionTypeMerged = (merged t.optionType [ (t.enum [ "a" ]) (t.enum [ "b" ]) ]).description;
    deferredModule = (lib.evalModules { modules = [ (merged t.deferredModule [ { n = [ 1 ]; } { n = [ 2 ]; } ]) { options.n = mkOption { type = t.listOf t.int; apply = builtins.length; }; } { n = [ ]; } ]; }).config;
  };
  noDefinitionEmptyValues = lib.mapAttrs (_: type: type.emptyValue) {
    listOf = t.listOf t.int; attrsOf = t.attrsOf t.int; nullOr = t.nullOr t.int; attrs = t.attrs; submodule = t.submodule { }; int = t.int;
  };
  typeMerges =
    let
      declaredTwice = a: b: (lib.evalModules { modules = [ { options.o = mkOption { type = a; }; } { options.o = mkOption { type = b; }; } ]; }).options.o.type.description;
    in
    {
      enumUnion = declaredTwice (t.enum [ "a" "b" ]) (t.enum [ "b" "c" ]);
      listOfEnum = declaredTwice (t.listOf (t.enum [ "a" ])) (t.listOf (t.enum [ "b" ]));
      attrsOfEnum = declaredTwice (t.attrsOf (t.enum [ "a" ])) (t.attrsOf (t.enum [ "b" ]));
      nullOrEnum = declaredTwice (t.nullOr (t.enum [ "a" ])) (t.nullOr (t.enum [ "b" ]));
      eitherEnum = declaredTwice (t.either t.int (t.enum [ "a" ])) (t.either t.int (t.enum [ "b" ]));
      same = declaredTwice t.str t.str;
      strMatching = declaredTwice (t.strMatching "a") (t.strMatching "a");
      separated = declaredTwice t.lines t.lines;
      port = declaredTwice t.port t.port;
      unsigned = declaredTwice t.ints.unsigned t.ints.unsigned;
      between = declaredTwice (t.ints.between 1 3) (t.ints.between 1 3);
      submodules = declaredTwice (t.submodule { }) (t.submodule { });
      functor = t.int.functor.name;
      direct = (t.enum [ "x" ]).typeMerge (t.enum [ "y" ]).functor;
      incompatible = [ (t.int.typeMerge t.str.functor) ((t.strMatching "a").typeMerge (t.strMatching "b").functor) (t.lines.typeMerge t.commas.functor) ];
    };
  mkOptionType =
    let even = lib.mkOptionType { name = "even"; description = "even number"; check = x: builtins.isInt x && lib.mod x 2 == 0; merge = lib.mergeEqualOption; }; in
    { inherit (even) name description _type; check = map even.check [ 2 3 ]; value = merged even [ 4 4 ]; isOptionType = t.isOptionType even; };
  addCheck = map (t.addCheck t.int (x: x > 3)).check [ 3 4 ];
}
