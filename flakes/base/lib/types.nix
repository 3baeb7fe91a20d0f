# Option types: what a definition may be (`check`), how several definitions combine (`merge`),
# how types of one option declared twice combine (`typeMerge`), and their descriptions.
{ lib }:
let
  inherit (builtins) isAttrs isList isString isInt isFloat isBool isPath isFunction length head
    tail elemAt filter all any concatLists concatStringsSep attrNames mapAttrs zipAttrsWith
    foldl' elem match toJSON hasContext intersectAttrs;
  inherit (lib.options) showOption showFiles showDefs mergeEqualOption mergeOneOption
    mergeUniqueOption mergeDefaultOption getValues getFiles;
  inherit (lib.strings) isStringLike isStorePath escapeNixString;
  inherit (lib.lists) imap1 last;

  isType = name: value: value._type or null == name;
  setType = name: value: value // { _type = name; };
  isOptionType = isType "option-type";

  # Default type merging: same name and, recursively, merged wrapped types or combined
  # payloads. Returns null when the two cannot be one type.
  defaultTypeMerge = f: f':
    if f.name != f'.name then null
    else if f.payload != null || f'.payload != null then
      (if f.payload == null || f'.payload == null then null
       else let p = f.binOp f.payload f'.payload; in if p == null then null else f.type p)
    else if f.wrapped != null || f'.wrapped != null then
      (if f.wrapped == null || f'.wrapped == null then null
       else let w = f.wrapped.typeMerge f'.wrapped.functor; in if w == null then null else f.type w)
    else f.type;

  defaultFunctor = name: {
    inherit name;
    type = types.${name} or null;
    wrapped = null;
    payload = null;
    binOp = a: b: null;
  };

  mkOptionType =
    { name
    , description ? null
    , descriptionClass ? null
    , check ? (x: true)
    , merge ? mergeDefaultOption
    , emptyValue ? { }
    , getSubOptions ? prefix: { }
    , getSubModules ? null
    , substSubModules ? m: null
    , typeMerge ? defaultTypeMerge functor
    , functor ? defaultFunctor name
    , deprecationMessage ? null
    , nestedTypes ? { }
    }:
    {
      _type = "option-type";
      inherit name check merge emptyValue getSubOptions getSubModules substSubModules typeMerge
        functor deprecationMessage nestedTypes descriptionClass;
      description = if description == null then name else description;
    };

  # A type's description as part of a longer one, parenthesised unless its class fits.
  optionDescriptionPhrase = fits: t:
    if fits (t.descriptionClass or null) then t.description else "(${t.description})";

  # How type-check failures read. Containers and `either` add the "TypeError:" form.
  plainMismatch = t: loc: defs:
    "A definition for option `${showOption loc}' is not of type `${t.description}'. Definition values:${showDefs (filter (d: !t.check d.value) defs)}";
  containerMismatch = t: loc: defs:
    "A definition for option `${showOption loc}' is not of type `${t.description}'. TypeError: Definition values: ${showDefs (filter (d: !t.check d.value) defs)}";
  withMismatch = describe: t: t // { describeMismatch = describe t; };

  betweenDesc = lo: hi: "${toString lo} and ${toString hi} (both inclusive)";

  types = rec {
    inherit isType setType isOptionType mkOptionType defaultTypeMerge defaultFunctor
      optionDescriptionPhrase;

    raw = mkOptionType {
      name = "raw";
      description = "raw value";
      descriptionClass = "noun";
      check = _: true;
      merge = mergeOneOption;
    };

    anything = mkOptionType {
      name = "anything";
      description = "anything";
      descriptionClass = "noun";
      check = _: true;
      merge = loc: defs:
        let
          kind = v: if isAttrs v && isStringLike v then "stringCoercibleSet" else builtins.typeOf v;
          firstKind = kind (head defs).value;
          common = foldl'
            (k: def: if kind def.value == k then k
              else throw "The option `${showOption loc}' has conflicting option types in ${showFiles (getFiles defs)}")
            firstKind defs;
        in
        if common == "set" then (attrsOf anything).merge loc defs
        else if common == "stringCoercibleSet" then mergeOneOption loc defs
        else if common == "lambda" then
          arg: anything.merge (loc ++ [ "<function body>" ])
            (map (def: { inherit (def) file; value = def.value arg; }) defs)
        else mergeEqualOption loc defs;
    };

    unspecified = mkOptionType {
      name = "unspecified";
      description = "unspecified value";
      descriptionClass = "noun";
    };

    bool = mkOptionType {
      name = "bool";
      description = "boolean";
      descriptionClass = "noun";
      check = isBool;
      merge = mergeEqualOption;
    };

    boolByOr = mkOptionType {
      name = "boolByOr";
      description = "boolean (merged using or)";
      descriptionClass = "noun";
      check = isBool;
      merge = loc: defs: any (def: def.value) defs;
    };

    int = mkOptionType {
      name = "int";
      description = "signed integer";
      descriptionClass = "noun";
      check = isInt;
      merge = mergeEqualOption;
    };

    ints =
      let
        range = name: description: lo: hi: functor: mkOptionType {
          inherit name description functor;
          descriptionClass = "noun";
          check = x: isInt x && x >= lo && x <= hi;
          merge = mergeEqualOption;
        };
        between = lo: hi:
          assert lib.asserts.assertMsg (lo <= hi) "ints.between: lowest must be smaller than highest";
          range "intBetween" "integer between ${betweenDesc lo hi}" lo hi (defaultFunctor "intBetween" // {
            type = p: between p.lo p.hi;
            payload = { inherit lo hi; };
            binOp = a: b: if a == b then a else null;
          });
        sized = name: bits: signed: lo: hi:
          range name "${toString bits} bit ${if signed then "signed" else "unsigned"} integer; between ${betweenDesc lo hi}"
            lo hi (defaultFunctor name // { type = ints.${name}; });
        lowerBound = attr: name: description: lo: mkOptionType {
          inherit name description;
          descriptionClass = "noun";
          check = x: isInt x && x >= lo;
          merge = mergeEqualOption;
          functor = defaultFunctor name // { type = ints.${attr}; };
        };
      in
      {
        inherit between;
        unsigned = lowerBound "unsigned" "unsignedInt" "unsigned integer, meaning >=0" 0;
        positive = lowerBound "positive" "positiveInt" "positive integer, meaning >0" 1;
        u8 = sized "u8" 8 false 0 255;
        u16 = sized "u16" 16 false 0 65535;
        u32 = sized "u32" 32 false 0 4294967295;
        s8 = sized "s8" 8 true (-128) 127;
        s16 = sized "s16" 16 true (-32768) 32767;
        s32 = sized "s32" 32 true (-2147483648) 2147483647;
      };

    port = ints.u16;

    float = mkOptionType {
      name = "float";
      description = "floating point number";
      descriptionClass = "noun";
      check = isFloat;
      merge = mergeEqualOption;
    };

    number = either int float;

    numbers =
      let
        ranged = name: description: ok: mkOptionType {
          inherit name description;
          descriptionClass = "noun";
          check = x: (isInt x || isFloat x) && ok x;
          merge = mergeEqualOption;
        };
      in
      {
        between = lo: hi: ranged "numberBetween"
          "integer or floating point number between ${betweenDesc lo hi}" (x: x >= lo && x <= hi);
        nonnegative = ranged "numberNonnegative" "integer or floating point number, meaning >=0" (x: x >= 0);
        positive = ranged "numberPositive" "integer or floating point number, meaning >0" (x: x > 0);
      };

    str = mkOptionType {
      name = "str";
      description = "string";
      descriptionClass = "noun";
      check = isString;
      merge = mergeEqualOption;
    };

    nonEmptyStr = mkOptionType {
      name = "nonEmptyStr";
      description = "non-empty string";
      descriptionClass = "noun";
      check = x: isString x && match "[ \t\n]*" x == null;
      merge = mergeEqualOption;
    };

    singleLineStr =
      let base = strMatching "[^\n\r]*\n?"; in
      mkOptionType {
        name = "singleLineStr";
        description = "(optionally newline-terminated) single-line string";
        descriptionClass = "noun";
        inherit (base) check;
        merge = loc: defs: lib.strings.removeSuffix "\n" (base.merge loc defs);
      };

    strMatching = pattern: mkOptionType {
      name = "strMatching ${escapeNixString pattern}";
      description = "string matching the pattern ${pattern}";
      descriptionClass = "noun";
      check = x: isString x && match pattern x != null;
      merge = mergeEqualOption;
      functor = defaultFunctor "strMatching" // {
        type = strMatching;
        payload = pattern;
        binOp = a: b: if a == b then a else null;
      };
    };

    separatedString = sep: mkOptionType {
      name = "separatedString";
      description =
        if sep == "" then "Concatenated string"
        else "strings concatenated with ${toJSON sep}";
      descriptionClass = "noun";
      check = isString;
      merge = loc: defs: concatStringsSep sep (getValues defs);
      functor = defaultFunctor "separatedString" // {
        type = separatedString;
        payload = sep;
        binOp = a: b: if a == b then a else null;
      };
    };

    lines = separatedString "\n";
    commas = separatedString ",";
    envVar = separatedString ":";
    string = separatedString "" // { name = "string"; };

    passwdEntry = entryType: addCheck entryType (s: !(lib.strings.hasInfix ":" s || lib.strings.hasInfix "\n" s)) // {
      name = "passwdEntry ${entryType.name}";
      description = "${optionDescriptionPhrase (c: c == "noun") entryType}, not containing newlines or colons";
      descriptionClass = "nonRestrictiveClause";
    };

    attrs = mkOptionType {
      name = "attrs";
      description = "attribute set";
      check = isAttrs;
      merge = loc: foldl' (acc: def: acc // def.value) { };
      emptyValue = { value = { }; };
    };

    package = mkOptionType {
      name = "package";
      description = "package";
      descriptionClass = "noun";
      check = x: lib.attrsets.isDerivation x || isStorePath x;
      merge = loc: defs:
        let value = mergeOneOption loc defs; in
        if isPath value || (isString value && !hasContext value) then lib.attrsets.toDerivation value
        else value;
    };

    shellPackage = package // {
      check = x: lib.attrsets.isDerivation x && x ? shellPath;
      description = "shell package";
    };

    pathWith = { inStore ? null, absolute ? null }:
      mkOptionType {
        name = if inStore == true && absolute == null then "pathInStore" else "path";
        description =
          (if absolute == true then "absolute " else if absolute == false then "relative " else "")
          + "path"
          + (if inStore == true then " in the Nix store" else if inStore == false then " not in the Nix store" else "");
        descriptionClass = "noun";
        check = x:
          let s = toString x; in
          isStringLike x
          && (absolute != true || lib.strings.hasPrefix "/" s)
          && (absolute != false || !(lib.strings.hasPrefix "/" s))
          && (inStore != true || lib.strings.hasPrefix "${builtins.storeDir}/" s)
          && (inStore != false || !(lib.strings.hasPrefix "${builtins.storeDir}/" s));
        merge = mergeEqualOption;
        functor = defaultFunctor "path" // {
          type = pathWith;
          payload = { inherit inStore absolute; };
          binOp = a: b: if a == b then a else null;
        };
      };
    path = pathWith { absolute = true; };
    pathInStore = pathWith { inStore = true; };

    listOf = elemType: withMismatch containerMismatch (mkOptionType {
      name = "listOf";
      description = "list of ${optionDescriptionPhrase (c: c == "noun" || c == "composite") elemType}";
      descriptionClass = "composite";
      check = isList;
      merge = loc: defs:
        map (entry: entry.value) (filter (entry: entry ? value) (concatLists (imap1
          (n: def: imap1
            (m: item: (lib.modules.mergeDefinitions
              (loc ++ [ "[definition ${toString n}-entry ${toString m}]" ])
              elemType
              [ { inherit (def) file; value = item; } ]).optionalValue)
            def.value)
          defs)));
      emptyValue = { value = [ ]; };
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "*" ]);
      getSubModules = elemType.getSubModules;
      substSubModules = m: listOf (elemType.substSubModules m);
      functor = defaultFunctor "listOf" // { type = listOf; wrapped = elemType; };
      nestedTypes.elemType = elemType;
    });

    nonEmptyListOf = elemType:
      let list = addCheck (listOf elemType) (l: l != [ ]); in
      list // {
        description = "non-empty ${list.description}";
        emptyValue = { };
        substSubModules = m: nonEmptyListOf (elemType.substSubModules m);
      };

    attrsWith = { elemType, lazy ? false, placeholder ? "name" }:
      let
        name = if lazy then "lazyAttrsOf" else "attrsOf";
        perName = loc: defs: zipAttrsWith
          (key: keyDefs: lib.modules.mergeDefinitions (loc ++ [ key ]) elemType keyDefs)
          (map (def: mapAttrs (_: value: { inherit (def) file; inherit value; }) def.value) defs);
      in
      withMismatch containerMismatch (mkOptionType {
        inherit name;
        description = (if lazy then "lazy attribute set of " else "attribute set of ")
          + optionDescriptionPhrase (c: c == "noun" || c == "composite") elemType;
        descriptionClass = "composite";
        check = isAttrs;
        merge =
          if lazy then
            loc: defs: mapAttrs
              (_: merged: merged.optionalValue.value or elemType.emptyValue.value or merged.mergedValue)
              (perName loc defs)
          else
            loc: defs: mapAttrs (_: merged: merged.optionalValue.value)
              (lib.attrsets.filterAttrs (_: merged: merged.isDefined) (perName loc defs));
        emptyValue = { value = { }; };
        getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<${placeholder}>" ]);
        getSubModules = elemType.getSubModules;
        substSubModules = m: attrsWith { elemType = elemType.substSubModules m; inherit lazy placeholder; };
        functor = defaultFunctor name // {
          type = t: attrsWith { elemType = t; inherit lazy placeholder; };
          wrapped = elemType;
        };
        nestedTypes.elemType = elemType;
      });

    attrsOf = elemType: attrsWith { inherit elemType; };
    lazyAttrsOf = elemType: attrsWith { inherit elemType; lazy = true; };

    # Like elemType, but only one definition is allowed.
    unique = { message }: elemType: mkOptionType {
      name = "unique";
      inherit (elemType) description descriptionClass check emptyValue getSubOptions getSubModules;
      merge = mergeUniqueOption { inherit message; inherit (elemType) merge; };
      substSubModules = m: unique { inherit message; } (elemType.substSubModules m);
      functor = defaultFunctor "unique" // { type = unique { inherit message; }; wrapped = elemType; };
      nestedTypes.elemType = elemType;
    };
    uniq = unique { message = ""; };

    nullOr = elemType: mkOptionType {
      name = "nullOr";
      description = "null or ${optionDescriptionPhrase (c: c == "noun" || c == "conjunction") elemType}";
      descriptionClass = "conjunction";
      check = x: x == null || elemType.check x;
      merge = loc: defs:
        let nulls = lib.lists.count (def: def.value == null) defs; in
        if nulls == length defs then null
        else if nulls != 0 then
          throw "The option `${showOption loc}` is defined both null and not null, in ${showFiles (getFiles defs)}."
        else elemType.merge loc defs;
      emptyValue = { value = null; };
      getSubOptions = elemType.getSubOptions;
      getSubModules = elemType.getSubModules;
      substSubModules = m: nullOr (elemType.substSubModules m);
      functor = defaultFunctor "nullOr" // { type = nullOr; wrapped = elemType; };
      nestedTypes.elemType = elemType;
    };

    functionTo = elemType: mkOptionType {
      name = "functionTo";
      description = "function that evaluates to a(n) ${optionDescriptionPhrase (c: c == "noun" || c == "composite") elemType}";
      descriptionClass = "composite";
      check = lib.trivial.isFunction;
      merge = loc: defs: args: (lib.modules.mergeDefinitions (loc ++ [ "<function body>" ]) elemType
        (map (def: { inherit (def) file; value = def.value args; }) defs)).mergedValue;
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<function body>" ]);
      getSubModules = elemType.getSubModules;
      substSubModules = m: functionTo (elemType.substSubModules m);
      functor = defaultFunctor "functionTo" // { type = functionTo; wrapped = elemType; };
      nestedTypes.elemType = elemType;
    };

    enum = values:
      let
        show = v:
          if isString v then "\"${v}\""
          else if isInt v then toString v
          else if isBool v then (if v then "true" else "false")
          else "<${builtins.typeOf v}>";
      in
      mkOptionType {
        name = "enum";
        description =
          if values == [ ] then "impossible (empty enum)"
          else if length values == 1 then "value ${show (head values)} (singular enum)"
          else "one of ${concatStringsSep ", " (map show values)}";
        descriptionClass = if length values < 2 then "noun" else "conjunction";
        check = x: elem x values;
        merge = mergeEqualOption;
        functor = defaultFunctor "enum" // {
          type = enum;
          payload = values;
          binOp = a: b: lib.lists.unique (a ++ b);
        };
      };

    either = left: right:
      let
        self = mkOptionType {
          name = "either";
          description = "${optionDescriptionPhrase (c: c == "noun" || c == "conjunction") left} or ${
            optionDescriptionPhrase (c: c == "noun" || c == "conjunction" || c == "composite") right}";
          descriptionClass = "conjunction";
          check = x: left.check x || right.check x;
          merge = loc: defs:
            let values = getValues defs; in
            if all left.check values then left.merge loc defs
            else if all right.check values then right.merge loc defs
            else throw (neither loc defs);
          typeMerge = f':
            if f'.name != "either" then null
            else
              let
                l = left.typeMerge (elemAt f'.wrapped 0).functor;
                r = right.typeMerge (elemAt f'.wrapped 1).functor;
              in if l == null || r == null then null else either l r;
          functor = defaultFunctor "either" // { wrapped = [ left right ]; };
          nestedTypes = { inherit left right; };
        };
        neither = loc: defs:
          "A definition for option `${showOption loc}' is not of type `${self.description}'. TypeError: The option `${showOption loc}` is neither a value of type `${left.description}` nor `${right.description}`, Definition values: ${showDefs defs}";
      in
      self // { describeMismatch = neither; };

    oneOf = ts:
      if ts == [ ] then throw "types.oneOf needs to get at least one type in its argument"
      else foldl' either (head ts) (tail ts);

    coercedTo = coercedType: coerce: finalType:
      assert lib.asserts.assertMsg (coercedType.getSubModules == null)
        "coercedTo: coercedType must not have submodules (it’s a ${coercedType.description})";
      mkOptionType {
        name = "coercedTo";
        description = "${optionDescriptionPhrase (c: c == "noun") finalType} or ${
          optionDescriptionPhrase (c: c == "noun") coercedType} convertible to it";
        check = x: (coercedType.check x && finalType.check (coerce x)) || finalType.check x;
        merge = loc: defs:
          finalType.merge loc (map
            (def: def // { value = if coercedType.check def.value then coerce def.value else def.value; })
            defs);
        inherit (finalType) emptyValue getSubOptions getSubModules;
        substSubModules = m: coercedTo coercedType coerce (finalType.substSubModules m);
        typeMerge = _: null;
        functor = defaultFunctor "coercedTo" // { wrapped = finalType; };
        nestedTypes = { inherit coercedType finalType; };
      };

    addCheck = elemType: extra: elemType // { check = x: elemType.check x && extra x; };

    optionType = mkOptionType {
      name = "optionType";
      description = "optionType";
      descriptionClass = "noun";
      check = isOptionType;
      merge = loc: defs:
        if length defs == 1 then (head defs).value
        else
          let
            located = def:
              let t = def.value; in
              if t.getSubModules or null == null then t
              else t.substSubModules (map (lib.modules.setDefaultModuleLocation def.file) t.getSubModules);
          in
          foldl'
            (acc: t:
              let merged = acc.typeMerge t.functor; in
              if merged == null
              then throw "The option `${showOption loc}' has conflicting definitions of option types in ${showFiles (getFiles defs)}."
              else merged)
            (located (head defs))
            (map located (tail defs));
    };

    submoduleWith =
      { modules
      , specialArgs ? { }
      , shorthandOnlyDefinesConfig ? false
      , description ? null
      , class ? null
      }@attrs:
      let
        # Each definition becomes a module of the nested evaluation; with the shorthand
        # option a set definition is taken as pure configuration.
        asModules = defs: map
          (def:
            if isAttrs def.value && shorthandOnlyDefinesConfig == true
            then { _file = def.file; config = def.value; }
            else { _file = def.file; imports = [ def.value ]; })
          defs;
        base = lib.modules.evalModules {
          inherit class specialArgs;
          modules = [ { _module.args.name = lib.modules.mkOptionDefault "‹name›"; } ] ++ modules;
        };
        freeform = base._module.freeformType;
        name = "submodule";
        mergeFlag = what: a: b:
          if a == null then b else if b == null then a else if a == b then a
          else throw "A submoduleWith option is declared multiple times with conflicting ${what} values";
      in
      withMismatch containerMismatch (mkOptionType {
        inherit name;
        description = if description != null then description else freeform.description or name;
        descriptionClass = "noun";
        check = x: isAttrs x || isFunction x || path.check x;
        merge = loc: defs: (base.extendModules {
          modules = [ { _module.args.name = last loc; } ] ++ asModules defs;
          prefix = loc;
        }).config;
        emptyValue = { value = { }; };
        getSubOptions = prefix:
          let opts = (base.extendModules { inherit prefix; }).options; in
          if freeform == null then opts else opts // { _freeformOptions = freeform.getSubOptions prefix; };
        getSubModules = modules;
        substSubModules = m: submoduleWith (attrs // { modules = m; });
        nestedTypes = if freeform == null then { } else { freeformType = freeform; };
        functor = defaultFunctor name // {
          type = submoduleWith;
          payload = { inherit modules class specialArgs shorthandOnlyDefinesConfig description; };
          binOp = a: b: {
            modules = a.modules ++ b.modules;
            class = mergeFlag "class" a.class b.class;
            specialArgs =
              let both = intersectAttrs a.specialArgs b.specialArgs; in
              if both == { } then a.specialArgs // b.specialArgs
              else throw "A submoduleWith option is declared multiple times with the same specialArgs \"${toString (attrNames both)}\"";
            shorthandOnlyDefinesConfig = mergeFlag "shorthandOnlyDefinesConfig" a.shorthandOnlyDefinesConfig b.shorthandOnlyDefinesConfig;
            description = mergeFlag "description" a.description b.description;
          };
        };
      });

    submodule = modules: submoduleWith {
      shorthandOnlyDefinesConfig = true;
      modules = lib.lists.toList modules;
    };

    deferredModuleWith = { staticModules ? [ ] }@attrs: mkOptionType {
      name = "deferredModule";
      description = "module";
      descriptionClass = "noun";
      check = x: isAttrs x || isFunction x || path.check x;
      merge = loc: defs: {
        imports = staticModules ++ map
          (def: lib.modules.setDefaultModuleLocation "${def.file}, via option ${showOption loc}" def.value)
          defs;
      };
      getSubOptions = prefix: { };
      getSubModules = staticModules;
      substSubModules = m: deferredModuleWith (attrs // { staticModules = m; });
      functor = defaultFunctor "deferredModule" // {
        type = deferredModuleWith;
        payload = { inherit staticModules; };
        binOp = a: b: { staticModules = a.staticModules ++ b.staticModules; };
      };
    };
    deferredModule = deferredModuleWith { };
  };
in
types
