# Attribute-set helpers.
{ lib }:
let
  inherit (builtins) attrNames attrValues isAttrs isList length elemAt head tail foldl' concatMap
    listToAttrs mapAttrs zipAttrsWith filter hasAttr getAttr catAttrs isString genList;

  nameValuePair = name: value: { inherit name value; };

  # Follow `path` into `set`; `fallback` if some step is missing or not a set.
  attrByPath = path: fallback: set:
    let
      n = length path;
      walk = i: value:
        if i == n then value
        else
          let key = elemAt path i; in
          if isAttrs value && value ? ${key} then walk (i + 1) value.${key} else fallback;
    in walk 0 set;

  hasAttrByPath = path: set:
    let
      n = length path;
      walk = i: value:
        i == n || (let key = elemAt path i; in isAttrs value && value ? ${key} && walk (i + 1) value.${key});
    in walk 0 set;

  longestAttrPath = path: set:
    let
      n = length path;
      walk = i: value:
        if i == n then path
        else
          let key = elemAt path i; in
          if isAttrs value && value ? ${key} then walk (i + 1) value.${key} else lib.lists.take i path;
    in walk 0 set;

  setAttrByPath = path: value:
    let
      n = length path;
      build = i: if i == n then value else { ${elemAt path i} = build (i + 1); };
    in build 0;

  getAttrFromPath = path: set:
    attrByPath path (throw "cannot find attribute `${lib.concatStringsSep "." path}'") set;

  attrVals = names: set: map (name: set.${name}) names;
  getAttrs = names: set: listToAttrs (map (name: nameValuePair name set.${name}) names);
  attrsToList = set: map (name: nameValuePair name set.${name}) (attrNames set);

  mapAttrs' = f: set: listToAttrs (map (name: f name set.${name}) (attrNames set));
  mapAttrsToList = f: set: map (name: f name set.${name}) (attrNames set);
  concatMapAttrs = f: set: foldl' (acc: part: acc // part) { } (mapAttrsToList f set);

  filterAttrs = pred: set:
    removeAttrs set (filter (name: !(pred name set.${name})) (attrNames set));

  filterAttrsRecursive = pred: set:
    listToAttrs (concatMap
      (name:
        let value = set.${name}; in
        if pred name value then
          [ (nameValuePair name (if isAttrs value then filterAttrsRecursive pred value else value)) ]
        else [ ])
      (attrNames set));

  foldlAttrs = f: init: set: foldl' (acc: name: f acc name set.${name}) init (attrNames set);

  foldAttrs = op: nul: sets:
    foldl' (acc: set: acc // mapAttrs (name: value: op value (acc.${name} or nul)) set) { }
      (lib.lists.reverseList sets);

  collect = pred: value:
    if pred value then [ value ]
    else if isAttrs value then concatMap (collect pred) (attrValues value)
    else [ ];

  mapAttrsRecursiveCond = cond: f: set:
    let
      go = path: s: mapAttrs
        (name: value:
          let here = path ++ [ name ]; in
          if isAttrs value && cond value then go here value else f here value)
        s;
    in go [ ] set;

  mapAttrsRecursive = mapAttrsRecursiveCond (_: true);

  genAttrs = names: f: listToAttrs (map (name: nameValuePair name (f name)) names);

  isDerivation = value: value.type or null == "derivation";

  toDerivation = path:
    let
      stored = builtins.storePath path;
      drv = {
        type = "derivation";
        name = lib.strings.sanitizeDerivationName (builtins.substring 33 (-1) (baseNameOf stored));
        outPath = stored;
        outputs = [ "out" ];
        out = drv;
        outputName = "out";
      };
    in drv;

  optionalAttrs = cond: set: if cond then set else { };

  zipAttrsWithNames = names: f: sets:
    listToAttrs (map (name: nameValuePair name (f name (catAttrs name sets))) names);
  zipAttrs = zipAttrsWith (_: values: values);

  mergeAttrsList = sets: foldl' (acc: set: acc // set) { } sets;

  # Merge `rhs` into `lhs` recursively, stopping where `stop path lhsValue rhsValue` holds
  # (there `rhs` wins).
  recursiveUpdateUntil = stop: lhs: rhs:
    let
      go = path: sides: zipAttrsWith
        (name: values:
          let here = path ++ [ name ]; in
          if length values == 1 then head values
          else
            let left = elemAt values 1; right = head values; in
            if stop here left right then right else go here [ right left ])
        sides;
    in go [ ] [ rhs lhs ];

  recursiveUpdate = recursiveUpdateUntil (path: lhs: rhs: !(isAttrs lhs && isAttrs rhs));

  matchAttrs = pattern: set:
    isAttrs set && lib.lists.all
      (name:
        let want = pattern.${name}; in
        set ? ${name} && (if isAttrs want then matchAttrs want set.${name} else want == set.${name}))
      (attrNames pattern);

  overrideExisting = old: new: mapAttrs (name: value: new.${name} or value) old;

  showAttrPath = path:
    if path == [ ] then "<root attribute path>"
    else lib.concatMapStringsSep "." lib.strings.escapeNixIdentifier path;

  getOutput = output: pkg:
    if !(pkg ? outputSpecified) || !pkg.outputSpecified then pkg.${output} or pkg.out or pkg else pkg;
  getFirstOutput = candidates: pkg:
    let found = lib.lists.findFirst (o: pkg ? ${o}) null candidates; in
    if found == null then pkg.out or pkg else getOutput found pkg;
  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  chooseDevOutputs = map getDev;
  # An optional derivation attribute: null leaves it out of the derivation.
  optionalDrvAttr = cond: value: if cond then value else null;
  getMan = getOutput "man";
  getInclude = getFirstOutput [ "include" "dev" "out" ];

  recurseIntoAttrs = set: set // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = set: set // { recurseForDerivations = false; };

  unionOfDisjoint = x: y:
    let common = builtins.intersectAttrs x y; in
    if common == { } then x // y
    else throw "unionOfDisjoint: collision on ${lib.concatStringsSep ", " (attrNames common)}";

  cartesianProduct = sets:
    foldl'
      (acc: name: concatMap (partial: map (v: partial // { ${name} = v; }) sets.${name}) acc)
      [ { } ]
      (attrNames sets);
  mapCartesianProduct = f: sets: map f (cartesianProduct sets);
in
{
  inherit nameValuePair attrByPath hasAttrByPath longestAttrPath setAttrByPath getAttrFromPath
    attrVals getAttrs attrsToList mapAttrs' mapAttrsToList concatMapAttrs filterAttrs
    filterAttrsRecursive foldlAttrs foldAttrs collect mapAttrsRecursiveCond mapAttrsRecursive
    genAttrs isDerivation toDerivation optionalAttrs zipAttrsWithNames zipAttrs mergeAttrsList
    recursiveUpdateUntil recursiveUpdate matchAttrs overrideExisting showAttrPath getOutput
    getFirstOutput getBin getLib getDev chooseDevOutputs optionalDrvAttr getMan getInclude recurseIntoAttrs dontRecurseIntoAttrs
    unionOfDisjoint cartesianProduct mapCartesianProduct;
  inherit (builtins) attrNames attrValues hasAttr getAttr isAttrs listToAttrs mapAttrs
    removeAttrs intersectAttrs catAttrs zipAttrsWith;
  mapAttrsFlatten = mapAttrsToList;
  cartesianProductOfSets = cartesianProduct;
}
