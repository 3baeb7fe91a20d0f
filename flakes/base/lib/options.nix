# Option declarations (`mkOption` and friends), merge helpers for option types, and the
# helpers that print option paths and definitions in error messages.
{ lib }:
let
  inherit (builtins) length head tail all isFunction isList isAttrs isBool isString isInt
    concatStringsSep filter foldl' elem tryEval split;
  inherit (lib.strings) escapeNixIdentifier concatMapStrings;

  isOption = value: value._type or null == "option";

  # Only the attributes actually given end up in the declaration.
  mkOption =
    { default ? null
    , defaultText ? null
    , example ? null
    , description ? null
    , relatedPackages ? null
    , type ? null
    , apply ? null
    , internal ? null
    , visible ? null
    , readOnly ? null
    }@given:
    given // { _type = "option"; };

  mkEnableOption = name: mkOption {
    default = false;
    example = true;
    description = "Whether to enable ${name}.";
    type = lib.types.bool;
  };

  mkPackageOption = pkgs: name:
    { nullable ? false
    , default ? name
    , example ? null
    , extraDescription ? ""
    , pkgsText ? "pkgs"
    }:
    let
      namePath = lib.lists.toList name;
      defaultPath = if default == null then null else lib.lists.toList default;
      showPath = path: "${pkgsText}.${concatStringsSep "." (map escapeNixIdentifier path)}";
      type = if nullable then lib.types.nullOr lib.types.package else lib.types.package;
    in
    mkOption ({
      inherit type;
      description = "The ${lib.lists.last namePath} package to use."
        + (if extraDescription == "" then "" else " " + extraDescription);
    } // (if defaultPath == null then { default = null; defaultText = literalExpression "null"; } else {
      default = lib.attrsets.attrByPath defaultPath
        (throw "${concatStringsSep "." defaultPath} cannot be found in ${pkgsText}") pkgs;
      defaultText = literalExpression (showPath defaultPath);
    }) // (if example == null then { } else {
      example =
        if isString example then literalExpression "${pkgsText}.${example}"
        else if isList example then literalExpression (showPath example)
        else example;
    }));

  # An option that swallows any definitions (for removed option sets).
  mkSinkUndeclaredOptions = attrs: mkOption ({
    internal = true;
    visible = false;
    default = false;
    description = "Sink for option definitions.";
    type = lib.types.mkOptionType {
      name = "sink";
      check = _: true;
      merge = _: _: false;
    };
    apply = _: throw "Option value is not readable because the option is not declared.";
  } // attrs);

  literalExpression = text:
    if !isString text then throw "literalExpression expects a string."
    else { _type = "literalExpression"; inherit text; };
  literalMD = text:
    if !isString text then throw "literalMD expects a string."
    else { _type = "literalMD"; inherit text; };
  literalExample = literalExpression;
  mdDoc = text: text;

  getValues = map (def: def.value);
  getFiles = map (def: def.file);

  # Option paths print dot-joined; parts that are not identifiers are quoted, except the
  # placeholders used in documentation.
  placeholders = [ "*" "<name>" "<function body>" ];
  showOptionPart = part:
    if elem part placeholders || builtins.match "<[^>]*>" part != null then part
    else escapeNixIdentifier part;
  showOption = path: concatStringsSep "." (map showOptionPart path);

  showFiles = files: concatStringsSep " and " (map (f: "`${f}'") files);

  # The "Definition values:" list of error messages: one "- In `FILE'" line per definition,
  # followed by its value (indented below when it spans lines, at most five lines shown).
  showDefs = defs: concatMapStrings
    (def:
      let
        printed = tryEval (lib.generators.toPretty { }
          (lib.generators.withRecursion { depthLimit = 10; throwOnDepthLimit = false; } def.value));
        lines = filter isString (split "\n" printed.value);
        shown = concatStringsSep "\n    "
          (lib.lists.take 5 lines ++ (if length lines > 5 then [ "..." ] else [ ]));
        suffix =
          if !printed.success then ""
          else if length lines > 1 then ":\n    " + shown
          else ": " + shown;
      in
      "\n- In `${def.file}'${suffix}")
    defs;

  prioritySuggestion = "Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.";

  # Merge functions shared by option types.
  mergeEqualOption = loc: defs:
    if defs == [ ] then abort "mergeEqualOption: no definitions"
    else if length defs == 1 then (head defs).value
    else
      let
        first = head defs;
        clash = lib.lists.findFirst (def: def.value != first.value) null (tail defs);
      in
      if clash == null then first.value
      else throw "The option `${showOption loc}' has conflicting definition values:${showDefs [ first clash ]}\n${prioritySuggestion}";

  mergeUniqueOption = { message, merge ? null }: loc: defs:
    if length defs == 1 then
      (if merge == null then (head defs).value else merge loc defs)
    else
      assert length defs > 1;
      throw "The option `${showOption loc}' is defined multiple times while it's expected to be unique.\n${message}\nDefinition values:${showDefs defs}\n${prioritySuggestion}";

  mergeOneOption = mergeUniqueOption { message = ""; };

  # What `unspecified` does with several definitions.
  mergeDefaultOption = loc: defs:
    let values = getValues defs; in
    if length values == 1 then head values
    else if all isFunction values then x: mergeDefaultOption loc (map (f: { inherit (f) file; value = f.value x; }) defs)
    else if all isList values then builtins.concatLists values
    else if all isAttrs values then foldl' (acc: v: acc // v) { } values
    else if all isBool values then builtins.any (b: b) values
    else if all isString values then concatStringsSep "" values
    else if all isInt values && all (v: v == head values) values then head values
    else throw "Cannot merge definitions of `${showOption loc}'. Definition values:${showDefs defs}";

  scrubOptionValue = x:
    if lib.attrsets.isDerivation x then { type = "derivation"; drvPath = x.name; outPath = x.name; name = x.name; }
    else if isList x then map scrubOptionValue x
    else if isAttrs x then builtins.mapAttrs (_: scrubOptionValue) (removeAttrs x [ "_args" ])
    else x;

  unknownModule = "<unknown-file>";
in
{
  inherit isOption mkOption mkEnableOption mkPackageOption mkSinkUndeclaredOptions
    literalExpression literalMD literalExample mdDoc getValues getFiles showOption showFiles
    showDefs prioritySuggestion mergeEqualOption mergeUniqueOption mergeOneOption
    mergeDefaultOption scrubOptionValue unknownModule;
}
