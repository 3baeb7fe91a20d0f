# The module system: loads modules and their imports, merges option declarations and
# definitions, and returns the configuration (behaviour: shared/spec/nixos.md §1).
{ lib }:
let
  inherit (builtins) isAttrs isList isFunction isString isPath isBool length head tail elemAt
    filter map all any concatLists concatMap attrNames attrValues mapAttrs zipAttrsWith
    listToAttrs foldl' genericClosure functionArgs addErrorContext toJSON removeAttrs
    unsafeGetAttrPos sort;
  inherit (lib.options) isOption mkOption showOption showFiles showDefs;
  inherit (lib.attrsets) setAttrByPath getAttrFromPath attrByPath mapAttrsRecursiveCond
    recursiveUpdate optionalAttrs;
  inherit (lib.lists) imap1 reverseList optional;
  types = lib.types;

  # ---------------------------------------------------------------------------------------
  # Properties attached to definitions.

  defaultOverridePriority = 100;
  defaultOrderPriority = 1000;

  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkAssert = assertion: message: content:
    mkIf (if assertion then true else throw "\nFailed assertion: ${message}") content;
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkOptionDefault = mkOverride 1500;
  mkDefault = mkOverride 1000;
  mkImageMediaOverride = mkOverride 60;
  mkForce = mkOverride 50;
  mkVMOverride = mkOverride 10;
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;
  mkFixStrictness = x: x;

  typeOfProperty = value: if isAttrs value then value._type or null else null;

  # A module's config as a list of plain sets whose members carry the mkIf/mkOverride that
  # surrounded them, so the shape of the config never depends on a condition.
  pushDownProperties = cfg:
    let t = typeOfProperty cfg; in
    if t == "merge" then concatMap pushDownProperties cfg.contents
    else if t == "if" then map (mapAttrs (_: v: mkIf cfg.condition v)) (pushDownProperties cfg.content)
    else if t == "override" then map (mapAttrs (_: v: mkOverride cfg.priority v)) (pushDownProperties cfg.content)
    else [ cfg ];

  # One definition value → the values it stands for once mkMerge and mkIf are resolved.
  dischargeProperties = value:
    let t = typeOfProperty value; in
    if t == "merge" then concatMap dischargeProperties value.contents
    else if t == "if" then
      if !isBool value.condition then throw "‘mkIf’ called with a non-Boolean condition"
      else if value.condition then dischargeProperties value.content
      else [ ]
    else [ value ];

  # Keep the definitions with the best (lowest) override priority, unwrapped.
  filterOverrides' = defs:
    let
      priorityOf = def:
        if typeOfProperty def.value == "override" then def.value.priority else defaultOverridePriority;
      best = foldl' (acc: def: let p = priorityOf def; in if p < acc then p else acc) 9999 defs;
      unwrap = def:
        if typeOfProperty def.value == "override"
        then map (value: def // { inherit value; }) (dischargeProperties def.value.content)
        else [ def ];
    in
    {
      highestPrio = best;
      values = concatMap unwrap (filter (def: priorityOf def == best) defs);
    };
  filterOverrides = defs: (filterOverrides' defs).values;

  # Stable sort by mkOrder priority; ordered definitions keep their priority alongside.
  sortProperties = defs:
    let
      unwrap = def:
        if typeOfProperty def.value == "order"
        then map (value: def // { inherit value; inherit (def.value) priority; }) (dischargeProperties def.value.content)
        else [ def ];
      prio = def: def.priority or defaultOrderPriority;
    in sort (a: b: prio a < prio b) (concatMap unwrap defs);

  # ---------------------------------------------------------------------------------------
  # From definitions to a value.

  mergeDefinitions = loc: type: defs:
    let
      discharged = concatMap
        (def: map (value: { inherit (def) file; inherit value; })
          (addErrorContext "while evaluating definitions from `${def.file}':" (dischargeProperties def.value)))
        defs;
      overridden = filterOverrides' discharged;
      ordered =
        if any (def: typeOfProperty def.value == "order") overridden.values
        then sortProperties overridden.values
        else overridden.values;
      isDefined = ordered != [ ];
      describeMismatch = type.describeMismatch or (loc: defs:
        "A definition for option `${showOption loc}' is not of type `${type.description}'. Definition values:${
          showDefs (filter (def: !type.check def.value) defs)}");
      mergedValue =
        if !isDefined then
          throw "The option `${showOption loc}' was accessed but has no value defined. Try setting the option."
        else if all (def: type.check def.value) ordered then type.merge loc ordered
        else throw (describeMismatch loc ordered);
    in
    {
      defsFinal' = { values = ordered; inherit (overridden) highestPrio; };
      defsFinal = ordered;
      inherit isDefined mergedValue;
      optionalValue = if isDefined then { value = mergedValue; } else { };
    };

  # A merged declaration plus its definitions → the option as seen in `options`.
  evalOptionValue = loc: opt: defs:
    let
      withDefault =
        optional (opt ? default) { file = head opt.declarations; value = mkOptionDefault opt.default; }
        ++ defs;
      merged =
        if opt.readOnly or false == true && length withDefault > 1 then
          throw "The option `${showOption loc}' is read-only, but it's set multiple times. Definition values:${showDefs withDefault}"
        else mergeDefinitions loc opt.type withDefault;
      value = if opt ? apply && opt.apply != null then opt.apply merged.mergedValue else merged.mergedValue;
    in
    opt // {
      value = addErrorContext "while evaluating the option `${showOption loc}':" value;
      inherit (merged) isDefined;
      highestPrio = merged.defsFinal'.highestPrio;
      definitions = map (def: def.value) merged.defsFinal;
      files = map (def: def.file) merged.defsFinal;
      definitionsWithLocations = merged.defsFinal;
      __toString = _: showOption loc;
    };

  # Several declarations of one option → one declaration.
  mergeOptionDecls = loc: decls:
    let
      combined = foldl'
        (acc: decl:
          let
            o = decl.tree;
            both = name: o ? ${name} && acc ? ${name};
            mergedType = if o ? type && acc ? type then acc.type.typeMerge o.type.functor else null;
          in
          if both "default" || both "example" || both "description" || both "apply"
            || (o ? type && acc ? type && mergedType == null)
          then throw "The option `${showOption loc}' in `${decl.file}' is already declared in ${showFiles acc.declarations}."
          else
            o // acc // {
              declarations = acc.declarations ++ [ decl.file ];
              declarationPositions = acc.declarationPositions ++ [ decl.position ];
            } // (if mergedType != null then { type = mergedType; } else { }))
        { inherit loc; declarations = [ ]; declarationPositions = [ ]; }
        decls;
    in
    combined // { type = combined.type or types.unspecified; };

  # ---------------------------------------------------------------------------------------
  # Merging one level of the option tree.
  #
  # decls: [ { file; tree; position } ]  the `options` sets of the modules at this level
  # defs:  [ { file; value } ]           the `config` values at this level (maybe wrapped)
  # Result: { options; unmatched; } where unmatched lists { file; prefix; value } for
  # definitions with no declaration (prefix relative to this level).

  parentError = loc: optionDecls: otherDecls:
    let
      first = head optionDecls;
      children = sort (a: b: a < b) (concatMap
        (d: map (child: "  - option(s) with prefix `${showOption (loc ++ [ child ])}' in module `${d.file}'")
          (attrNames d.tree))
        otherDecls);
    in
    throw "The option `${showOption loc}' in module `${first.file}' would be a parent of the following options, but its type `${
      first.tree.type.description or "<no description>"}' does not support nested options.\n${lib.concatStringsSep "\n" children}";

  checkDeclaration = loc: decl:
    if isOption decl.tree then decl
    else if typeOfProperty decl.tree == "option-type" then
      throw "In module ${decl.file}: expected an option declaration at option path `${showOption loc}` but got an attribute set with type option-type.\nA type is not an option: declare it as `lib.mkOption { type = ...; }'."
    else if !isAttrs decl.tree then
      throw "In module `${decl.file}': the option declaration at `${showOption loc}' is not an option or an attribute set of options."
    else decl;

  definitionsAsSets = loc: defs: concatMap
    (def: map
      (set:
        if isAttrs set then mapAttrs (_: value: { inherit (def) file; inherit value; }) set
        else throw "The option `${showOption loc}' is a set of options, but the definition in `${def.file}' is not an attribute set. Definition values:${showDefs [ def ]}")
      (pushDownProperties def.value))
    defs;

  mergeLevel = prefix: path: decls: defs:
    let
      declsByName = zipAttrsWith (_: ds: ds) (map
        (d: mapAttrs
          (name: tree: {
            inherit (d) file;
            inherit tree;
            position =
              let pos = unsafeGetAttrPos name d.tree; in
              if pos == null then { inherit (d) file; line = null; column = null; } else pos;
          })
          d.tree)
        decls);
      defsByName = zipAttrsWith (_: ds: ds) (definitionsAsSets (prefix ++ path) defs);

      results = mapAttrs
        (name: nameDecls:
          let
            loc = prefix ++ path ++ [ name ];
            checked = map (checkDeclaration loc) nameDecls;
            optionDecls = filter (d: isOption d.tree) checked;
            otherDecls = filter (d: !isOption d.tree) checked;
            nameDefs = defsByName.${name} or [ ];
          in
          if optionDecls == [ ] then mergeLevel prefix (path ++ [ name ]) checked nameDefs
          else if otherDecls == [ ] then
            { options = evalOptionValue loc (mergeOptionDecls loc optionDecls) nameDefs; unmatched = [ ]; }
          else if all (d: d.tree.type.name or null == "submodule") optionDecls then
            let
              asSubmodule = d: d // {
                tree = mkOption {
                  type = types.submoduleWith {
                    modules = [ { _file = d.file; options = d.tree; } ];
                    shorthandOnlyDefinesConfig = null;
                  };
                };
              };
            in
            { options = evalOptionValue loc (mergeOptionDecls loc (map (d: if isOption d.tree then d else asSubmodule d) checked)) nameDefs; unmatched = [ ]; }
          else parentError loc optionDecls otherDecls)
        declsByName;

      undeclared = removeAttrs defsByName (attrNames declsByName);
      unmatchedByName = mapAttrs (_: r: r.unmatched) results // undeclared;
    in
    {
      options = mapAttrs (_: r: r.options) results;
      unmatched =
        if defs == [ ] then [ ]
        else concatLists (lib.attrsets.mapAttrsToList
          (name: ds: map (d: d // { prefix = [ name ] ++ d.prefix or [ ]; }) ds)
          unmatchedByName);
    };

  # ---------------------------------------------------------------------------------------
  # Loading modules.

  shorthandSpecial = [ "_class" "_file" "key" "disabledModules" "imports" "require" "freeformType" ];
  fullFormAllowed = [ "_class" "_file" "key" "disabledModules" "imports" "options" "config" "meta" "freeformType" ];

  notAModule = file: t:
    "Expected a module, but found a value of type ${toJSON t}.\n"
    + "A module is typically loaded by adding it to the `imports = [ ... ];' attribute of an existing module, or in the `modules = [ ... ];' argument of functions like evalModules.\n"
    + "Please make sure that each of the list items is a module, and not a different kind of value."
    + (if t == "flake" then
        "\n\nYou may have referred to a whole flake where a module was expected; select one of its modules instead, for example `.nixosModules.default'."
      else if t == "configuration" then
        "\n\nThis is the result of evaluating modules; to reuse it, pass its `extendModules' or the modules it was made from."
      else "")
    + "\n(found in `${file}')";

  # Bring a module's set into one shape: { _file; key; _class; disabledModules; imports;
  # options; config; }.
  normaliseModule = file: key: m:
    let
      mFile = m._file or file;
      mKey = toString (m.key or key);
      imports = (m.require or [ ]) ++ (m.imports or [ ]);
      withFreeform = cfg: if m ? freeformType then mkMerge [ { _module.freeformType = m.freeformType; } cfg ] else cfg;
      common = {
        _file = mFile;
        key = mKey;
        _class = m._class or null;
        disabledModules = m.disabledModules or [ ];
        inherit imports;
      };
    in
    if m ? config || m ? options then
      let extra = attrNames (removeAttrs m fullFormAllowed); in
      if extra != [ ] then
        throw "Module `${mKey}' has an unsupported attribute `${head extra}'. This is caused by introducing a top-level `config' or `options' attribute. Add configuration attributes immediately on the top level instead, or move all of them (namely: ${lib.concatStringsSep " " extra}) into the explicit `config' attribute."
      else common // {
        options = m.options or { };
        config = withFreeform (if m ? meta then mkMerge [ { meta = m.meta; } (m.config or { }) ] else m.config or { });
      }
    else common // {
      options = { };
      config = withFreeform (removeAttrs m shorthandSpecial);
    };

  # Call a module function with its arguments: the fixed ones, else `_module.args`, looked up
  # only when used.
  applyModuleArgs = key: f: args:
    let
      lookup = name:
        addErrorContext "while evaluating the module argument `${name}' in \"${key}\":"
          (args.${name} or args.config._module.args.${name});
    in f (args // mapAttrs (name: _: lookup name) (lib.trivial.functionArgs f));

  # A module given as a set (or a function's result) → normalised, or a clear error.
  fromValue = file: key: m:
    if !isAttrs m then throw (notAModule file (builtins.typeOf m))
    else
      let t = m._type or "module"; in
      if t == "module" then normaliseModule file key m
      else if t == "if" || t == "override" then normaliseModule file key { config = m; }
      else throw (notAModule file t);

  loadModule = args: file: key: m:
    if lib.trivial.isFunction m then fromValue file key (applyModuleArgs key m args)
    else if isAttrs m then fromValue file key m
    else if isList m then
      throw "Module imports can't be nested lists. Perhaps you meant to remove one level of lists? Definitions:${showDefs [ { inherit file; value = m; } ]}"
    else
      let
        name = toString m;
        imported = import m;
      in
      if lib.trivial.isFunction imported then fromValue name name (applyModuleArgs name imported args)
      else fromValue name name imported;

  # ---------------------------------------------------------------------------------------
  # evalModules

  evalModules =
    { modules
    , prefix ? [ ]
    , args ? { }
    , specialArgs ? { }
    , check ? true
    , class ? null
    }@evalArgs:
    let
      legacyModules =
        optional (evalArgs ? args) { config._module.args = args; }
        ++ optional (evalArgs ? check) { config._module.check = mkDefault check; };
      userModules = modules ++ legacyModules;
      warnLegacy = v:
        lib.trivial.warnIf (evalArgs ? args) "The args argument to evalModules is deprecated. Please set config._module.args instead."
          (lib.trivial.warnIf (evalArgs ? check) "The check argument to evalModules is deprecated. Please set config._module.check instead." v);

      internalModule = {
        _file = "lib/modules.nix";
        key = "lib/modules.nix";
        options._module = {
          args = mkOption {
            type = types.lazyAttrsOf types.raw;
            internal = true;
            description = "Arguments passed to each module, in addition to those given by specialArgs.";
          };
          check = mkOption {
            type = types.bool;
            internal = true;
            default = true;
            description = "Whether to check whether all option definitions have matching declarations.";
          };
          freeformType = mkOption {
            type = types.nullOr types.optionType;
            internal = true;
            default = null;
            description = "If set, merge all definitions that don't have an associated option together using this type.";
          };
          specialArgs = mkOption {
            readOnly = true;
            internal = true;
            default = specialArgs;
            description = "Externally provided module arguments that can't be modified from within a configuration, but can be used in module imports.";
          };
        };
        config._module.args = {
          inherit extendModules;
          moduleType = type;
        };
      };

      moduleArgs = {
        inherit lib options specialArgs;
        config = fullConfig;
        _class = class;
        _prefix = prefix;
      } // specialArgs;

      # Collection: a breadth-first closure keyed by `key`, computed twice: once over
      # everything reachable (to learn disabledModules), once skipping disabled keys.
      node = parentFile: parentKey: index: m:
        let
          loaded = loadModule moduleArgs parentFile "${parentKey}:anon-${toString index}" m;
          mod =
            if class != null && loaded._class != null && loaded._class != class then
              throw "The module `${loaded._file}` (class: ${toJSON loaded._class}) cannot be imported into a module evaluation that expects class ${toJSON class}.\n\nHelp: Ensure that you are importing the correct module for this evaluation, one written for class ${toJSON class}."
            else loaded;
        in
        {
          key = mod.key;
          inherit mod;
          children = imap1 (node mod._file mod.key) mod.imports;
        };
      roots = imap1 (node "<unknown-file>" "") (userModules ++ [ internalModule ]);
      reachable = genericClosure { startSet = roots; operator = n: n.children; };

      disabledKey = file: d:
        if isAttrs d then
          if !(d ? key) then
            throw "Module `${file}' disables a module given as an attribute set without a `key' attribute; add a `key' to that module."
          else if lib.strings.isStringLike d && toString d != toString d.key then
            throw "Module `${file}' disables a module whose `key' (${toString d.key}) differs from its path (${toString d})."
          else toString d.key
        else if isPath d then toString d
        else if isString d then
          (if lib.strings.hasPrefix "/" d then d
           else "${toString (specialArgs.modulesPath or (throw "Module `${file}' disables `${d}', a path relative to modulesPath, but specialArgs has no modulesPath."))}/${d}")
        else throw "Each disabledModules item must be a path, string, or an attribute set with a key attribute; module `${file}' has a value of type ${builtins.typeOf d}.";
      disabled = listToAttrs (concatMap
        (n: map (d: { name = disabledKey n.mod._file d; value = true; }) n.mod.disabledModules)
        reachable);
      enabled = n: !(disabled ? ${n.key});
      collected = genericClosure {
        startSet = filter enabled roots;
        operator = n: filter enabled n.children;
      };
      loadedModules = map (n: n.mod) collected;

      graphOf = n: {
        inherit (n) key;
        file = n.mod._file;
        disabled = !(enabled n);
        imports = map graphOf n.children;
      };

      # Merging: definitions are seen in reverse collection order.
      ordered = reverseList loadedModules;
      merged = mergeLevel prefix [ ]
        (map (m: { file = m._file; tree = m.options; }) ordered)
        (map (m: { file = m._file; value = m.config; }) ordered);
      options = merged.options;

      declaredConfig = mapAttrsRecursiveCond (v: !isOption v) (_: opt: opt.value) options;
      freeformType = declaredConfig._module.freeformType;
      freeformConfig = freeformType.merge prefix
        (map (d: { inherit (d) file; value = setAttrByPath d.prefix d.value; }) merged.unmatched);
      fullConfig =
        addErrorContext "if you get an infinite recursion here, you probably reference `config' in `imports'. If you are trying to achieve a conditional import behavior dependent on `config', consider importing unconditionally, and using `mkEnableOption' and `mkIf' to control its effect."
          (if freeformType == null then declaredConfig else recursiveUpdate freeformConfig declaredConfig);

      unknownOptionError = def:
        let
          loc = prefix ++ def.prefix;
          optText = showOption loc;
          defText = addErrorContext "while evaluating the error message for definitions for `${optText}', which is an option that does not exist"
            (addErrorContext "while evaluating a definition from `${def.file}'" (showDefs [ def ]));
          base = "The option `${optText}' does not exist. Definition values:${defText}";
          parentPath = lib.lists.init def.prefix;
          name = lib.lists.last def.prefix;
          siblings = filter (n: n != "_module") (attrNames (attrByPath parentPath { } options));
          maxDistance = if length siblings >= 100 then 2 else 3;
          scored = filter (s: s.distance <= maxDistance)
            (map (n: { inherit n; distance = lib.strings.levenshtein name n; }) siblings);
          closest = map (s: "`${showOption (prefix ++ parentPath ++ [ s.n ])}'")
            (lib.lists.take 3 (sort (a: b: a.distance < b.distance || (a.distance == b.distance && a.n < b.n)) scored));
          count = length closest;
          suggestion =
            if count == 0 then ""
            else "\n\nDid you mean ${
              if count == 1 then head closest
              else lib.concatStringsSep ", " (lib.lists.init closest) + " or " + lib.lists.last closest}?";
          nothingDeclared = attrNames options == [ "_module" ];
        in
        if nothingDeclared then
          if prefix == [ ] then
            "${base}\n\nIt seems as if you're trying to declare an option by placing it into `config' rather than `options'!"
          else
            "${base}\n\nHowever there are no options defined in `${showOption prefix}'. Are you sure you've declared your options properly? This can happen if you e.g. declared your options in `types.submodule' under `config' rather than under `options'."
        else base + suggestion;

      checked =
        if declaredConfig._module.check && freeformType == null && merged.unmatched != [ ]
        then throw (unknownOptionError (head merged.unmatched))
        else true;

      type = types.submoduleWith { modules = userModules; inherit class specialArgs; };

      extendModules = { modules ? [ ], specialArgs ? { }, prefix ? evalArgs.prefix or [ ] }:
        evalModules {
          modules = userModules ++ modules;
          specialArgs = evalArgs.specialArgs or { } // specialArgs;
          inherit prefix class;
        };

      result = {
        _type = "configuration";
        inherit options type extendModules class;
        config = builtins.seq checked (removeAttrs fullConfig [ "_module" ]);
        _module = fullConfig._module;
        graph = map graphOf roots;
      };
    in
    warnLegacy result;

  # ---------------------------------------------------------------------------------------
  # Helpers for modules.

  setDefaultModuleLocation = file: m: { _file = file; imports = [ m ]; };

  # A module file that is a function of some static argument, applied, keeping its location.
  importApply = file: arg: setDefaultModuleLocation file (import file arg);

  mkAliasIfDef = option: mkIf (isOption option && option.isDefined);
  mkAliasAndWrapDefinitions = wrap: option: mkAliasIfDef option (wrap (mkMerge option.definitions));
  mkAliasAndWrapDefsWithPriority = wrap: option:
    let priority = option.highestPrio or defaultOverridePriority; in
    mkAliasIfDef option (wrap (mkMerge (map (mkOverride priority) option.definitions)));
  mkAliasDefinitions = mkAliasAndWrapDefinitions (x: x);

  mkDerivedConfig = option: f:
    mkOverride (option.highestPrio or defaultOverridePriority) (f option.value);

  # Forward `from` to `to`: declares `from` (hidden unless visible) with `to`'s type and sends
  # its definitions there.
  doRename = { from, to, visible, warn, use, withPriority ? true, condition ? true }:
    { config, options, ... }:
    let
      fromOpt = getAttrFromPath from options;
      toValue = attrByPath to (abort "Renaming error: option `${showOption to}' does not exist.");
      toType = (attrByPath to { } options).type or (types.submodule { });
      forward = (if withPriority then mkAliasAndWrapDefsWithPriority else mkAliasAndWrapDefinitions)
        (setAttrByPath to) fromOpt;
    in
    {
      options = setAttrByPath from (mkOption {
        inherit visible;
        description = "Alias of {option}`${showOption to}`.";
        apply = _: use (toValue config);
      } // optionalAttrs (toType != null) { type = toType; });
      config = mkIf condition (mkMerge [
        (optionalAttrs (options ? warnings) {
          warnings = optional (warn && fromOpt.isDefined)
            "The option `${showOption from}' defined in ${showFiles fromOpt.files} has been renamed to `${showOption to}'.";
        })
        forward
      ]);
    };

  mkRenamedOptionModule = from: to: doRename {
    inherit from to;
    visible = false;
    warn = true;
    use = builtins.trace "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
  };

  mkRenamedOptionModuleWith = { sinceRelease, from, to }:
    let old = lib.trivial.isInOldestRelease sinceRelease; in
    doRename {
      inherit from to;
      visible = false;
      warn = old;
      use = lib.trivial.warnIf old "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
    };

  mkAliasOptionModule = from: to: doRename {
    inherit from to;
    visible = true;
    warn = false;
    use = x: x;
  };
  mkAliasOptionModuleMD = mkAliasOptionModule;

  mkRemovedOptionModule = optionName: replacementInstructions:
    { options, ... }:
    {
      options = setAttrByPath optionName (mkOption {
        visible = false;
        apply = _: throw "The option `${showOption optionName}' can no longer be used since it's been removed. ${replacementInstructions}";
      });
      config = optionalAttrs (options ? assertions) {
        assertions =
          let opt = getAttrFromPath optionName options; in
          [ {
            assertion = !opt.isDefined;
            message = "The option definition `${showOption optionName}' in ${showFiles opt.files} no longer has any effect; please remove it.\n${replacementInstructions}";
          } ];
      };
    };

  # Several old options feed `mergeFn config` → definitions of `to`.
  mkMergedOptionModule = from: to: mergeFn:
    { config, options, ... }:
    let
      unset = "_mkMergedOptionModule";
      isSet = path: getAttrFromPath path config != unset;
    in
    {
      options = foldl' recursiveUpdate { } (map
        (path: setAttrByPath path (mkOption { visible = false; default = unset; }))
        from);
      config = mkMerge [
        (optionalAttrs (options ? warnings) {
          warnings = concatMap
            (path:
              optional (isSet path)
                "The option `${showOption path}' defined in ${showFiles (getAttrFromPath path options).files} has been changed to `${showOption to}' that has a different type. Please read `${showOption to}' documentation and update your configuration accordingly.")
            from;
        })
        (setAttrByPath to (mkMerge (optional (any isSet from) (mergeFn config))))
      ];
    };

  mkChangedOptionModule = from: to: changeFn: mkMergedOptionModule [ from ] to changeFn;

  importJSON = file: { _file = file; config = lib.trivial.importJSON file; };
  importTOML = file: { _file = file; config = lib.trivial.importTOML file; };
in
{
  inherit defaultOverridePriority defaultOrderPriority mkIf mkAssert mkMerge mkOverride
    mkOptionDefault mkDefault mkImageMediaOverride mkForce mkVMOverride mkOrder mkBefore mkAfter
    mkFixStrictness pushDownProperties dischargeProperties filterOverrides filterOverrides'
    sortProperties mergeDefinitions evalOptionValue mergeOptionDecls evalModules
    setDefaultModuleLocation importApply mkAliasIfDef mkAliasAndWrapDefinitions
    mkAliasAndWrapDefsWithPriority mkAliasDefinitions mkDerivedConfig doRename
    mkRenamedOptionModule mkRenamedOptionModuleWith mkAliasOptionModule mkAliasOptionModuleMD
    mkRemovedOptionModule mkMergedOptionModule mkChangedOptionModule importJSON importTOML;
  defaultPriority = defaultOverridePriority;
}
