# Rendering Nix values as text: the pretty printer used in error messages, key=value and INI
# files, JSON.
{ lib }:
let
  inherit (builtins) typeOf isAttrs isList isString concatStringsSep filter split length
    mapAttrs addErrorContext;
  inherit (lib.strings) escapeNixIdentifier escape replaceStrings;
  inherit (lib.attrsets) mapAttrsToList;

  # Replace everything nested deeper than `depthLimit` by "<unevaluated>" (or fail).
  withRecursion = { depthLimit, throwOnDepthLimit ? true }:
    assert builtins.isInt depthLimit;
    let
      tooDeep =
        if throwOnDepthLimit then
          throw "Exceeded maximum eval-depth limit of ${toString depthLimit} while trying to evaluate with `generators.withRecursion'!"
        else "<unevaluated>";
      keepAsIs = [ "__functor" "__functionArgs" "__toString" "__pretty" ];
      limit = depth: v: if depth > depthLimit then tooDeep else walk depth v;
      walk = depth: v:
        if isAttrs v then mapAttrs (name: x: if builtins.elem name keepAsIs then x else limit (depth + 1) x) v
        else if isList v then map (limit (depth + 1)) v
        else v;
    in v: walk 0 v;

  # A readable, Nix-like rendering of a value (multi-line by default).
  toPretty = { allowPrettyValues ? false, multiline ? true, indent ? "" }:
    let
      lines = s: filter isString (split "\n" s);

      quoteLine = escape [ "\\" "\"" "\${" ];
      quoteIndentedLine = replaceStrings [ "\${" "''" ] [ "''\${" "'''" ];

      renderString = inner: outer: s:
        let ls = lines s; in
        if multiline && length ls > 1 then
          let
            escaped = map quoteIndentedLine ls;
            lastLine = lib.lists.last escaped;
          in
          "''" + inner + concatStringsSep inner (lib.lists.init escaped)
          + (if lastLine == "" then outer else inner + lastLine) + "''"
        else "\"" + concatStringsSep "\\n" (map quoteLine ls) + "\"";

      renderFunction = f:
        let args = lib.trivial.functionArgs f; in
        if args == { } then "<function>"
        else "<function, args: {${concatStringsSep ", "
          (mapAttrsToList (name: optional: if optional then name + "?" else name) args)}}>";

      render = ind: v:
        let
          inner = if multiline then "\n${ind}  " else " ";
          outer = if multiline then "\n${ind}" else " ";
          deeper = render (ind + "  ");
          t = typeOf v;
        in
        if t == "int" then toString v
        else if t == "float" then builtins.toJSON v
        else if t == "string" then renderString inner outer v
        else if t == "bool" then (if v then "true" else "false")
        else if t == "null" then "null"
        else if t == "path" then toString v
        else if t == "list" then
          if v == [ ] then "[ ]"
          else "[" + inner + concatStringsSep inner (map deeper v) + outer + "]"
        else if lib.trivial.isFunction v then renderFunction v
        else if t == "set" then
          if allowPrettyValues && v ? __pretty && v ? val then v.__pretty v.val
          else if v == { } then "{ }"
          else if v.type or null == "derivation" then "<derivation ${v.name or "???"}>"
          else "{" + inner
            + concatStringsSep inner (mapAttrsToList
                (name: x: "${escapeNixIdentifier name} = ${
                  addErrorContext "while evaluating an attribute `${name}`" (deeper x)};")
                v)
            + outer + "}"
        else abort "generators.toPretty: unexpected value of type ${t}";
    in render indent;

  mkValueStringDefault = { }: v:
    let t = typeOf v; in
    if t == "int" then toString v
    else if t == "string" then v
    else if t == "bool" then (if v then "true" else "false")
    else if t == "null" then "null"
    else if t == "float" then lib.strings.floatToString v
    else if t == "path" || lib.strings.isStringLike v then toString v
    else if t == "list" then abort "generators.mkValueStringDefault: lists are not supported: ${toPretty { } v}"
    else abort "generators.mkValueStringDefault: ${t} not supported: ${toPretty { } v}";

  mkKeyValueDefault = { mkValueString ? mkValueStringDefault { } }: sep: key: value:
    "${escape [ sep ] key}${sep}${mkValueString value}";

  toKeyValue = { mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false, indent ? "" }: attrs:
    let
      line = key: value: indent + mkKeyValue key value + "\n";
      entry = key: value:
        if listsAsDuplicateKeys && isList value then lib.strings.concatMapStrings (line key) value
        else line key value;
    in lib.strings.concatStrings (mapAttrsToList entry attrs);

  toINI = { mkSectionName ? (name: escape [ "[" "]" ] name), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }: sections:
    concatStringsSep "\n" (mapAttrsToList
      (name: values: "[${mkSectionName name}]\n" + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } values)
      sections);

  toJSON = { }: builtins.toJSON;
in
{
  inherit withRecursion toPretty mkValueStringDefault mkKeyValueDefault toKeyValue toINI toJSON;
  toYAML = toJSON;
}
