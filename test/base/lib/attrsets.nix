# Attribute-set helpers.
let
  lib = import ../../../flakes/base/lib;
  set = { a = 1; b = { c = 2; d = { e = 3; }; }; f = "x"; };
in
with lib; {
  mapAttrs' = mapAttrs' (n: v: nameValuePair "${n}${n}" v) { a = 1; b = 2; };
  nameValuePair = nameValuePair "n" 1;
  filterAttrs = filterAttrs (n: v: v != 2 && n != "c") { a = 1; b = 2; c = 3; d = 4; };
  filterAttrsRecursive = filterAttrsRecursive (n: v: n != "e") set;
  attrByPath = [ (attrByPath [ "b" "d" "e" ] 0 set) (attrByPath [ "b" "x" ] 0 set) (attrByPath [ "a" "x" ] 0 set) (attrByPath [ ] 0 set) ];
  hasAttrByPath = [ (hasAttrByPath [ "b" "c" ] set) (hasAttrByPath [ "b" "z" ] set) (hasAttrByPath [ ] set) ];
  setAttrByPath = [ (setAttrByPath [ "a" "b" "c" ] 1) (setAttrByPath [ ] 2) ];
  getAttrFromPath = getAttrFromPath [ "b" "d" ] set;
  getAttrFromPathMissing = builtins.tryEval (getAttrFromPath [ "b" "q" ] set);
  recursiveUpdate = recursiveUpdate { a = { b = 1; c = { d = 1; }; }; x = 1; } { a = { c = { e = 2; }; f = 3; }; x = { y = 1; }; };
  recursiveUpdateUntil = recursiveUpdateUntil (path: l: r: path == [ "a" "c" ])
    { a = { b = 1; c = { d = 1; }; }; } { a = { c = { e = 2; }; }; };
  genAttrs = genAttrs [ "x" "y" ] (n: "v-${n}");
  mapAttrsToList = mapAttrsToList (n: v: "${n}=${toString v}") { b = 2; a = 1; };
  foldlAttrs = foldlAttrs (acc: n: v: acc ++ [ n v ]) [ "start" ] { b = 2; a = 1; };
  foldAttrs = foldAttrs (item: acc: [ item ] ++ acc) [ ] [ { a = 2; } { a = 3; b = 7; } ];
  optionalAttrs = [ (optionalAttrs true { a = 1; }) (optionalAttrs false { a = 1; }) ];
  zipAttrsWith = zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ];
  zipAttrs = zipAttrs [ { a = 1; } { b = 2; a = 3; } ];
  zipAttrsWithNames = zipAttrsWithNames [ "a" "z" ] (n: vs: vs) [ { a = 1; } { a = 2; } ];
  collect = collect isString { a = "x"; b = { c = "y"; d = 1; }; };
  collectSets = collect (x: x ? outPath) { a = { outPath = "/a"; }; b = { c = { outPath = "/c"; }; }; };
  isDerivation = [ (isDerivation { type = "derivation"; }) (isDerivation { }) (isDerivation 5) (isDerivation "derivation") ];
  attrValues = attrValues { b = 2; a = 1; };
  listToAttrs = listToAttrs [ (nameValuePair "a" 1) (nameValuePair "a" 2) ];
  mapAttrsRecursive = mapAttrsRecursive (path: v: concatStringsSep "." path) set;
  mapAttrsRecursiveCond = mapAttrsRecursiveCond (s: !(s ? e)) (path: v: path) set;
  concatMapAttrs = concatMapAttrs (n: v: { "${n}1" = v; "${n}2" = v; }) { a = 1; b = 2; };
  attrsToList = attrsToList { a = 1; b = 2; };
  attrVals = attrVals [ "a" "f" ] set;
  getAttrs = getAttrs [ "a" ] set;
  matchAttrs = [ (matchAttrs { b.c = 2; } set) (matchAttrs { b.c = 3; } set) ];
  mergeAttrsList = mergeAttrsList [ { a = 1; } { b = 2; } { a = 3; } ];
  cartesianProduct = cartesianProduct { a = [ 1 2 ]; b = [ "x" "y" ]; };
  getOutput = map (getOutput "bin") [ { bin = "B"; out = "O"; } { out = "O"; } { outputSpecified = true; bin = "B"; } ];
  showAttrPath = [ (showAttrPath [ "a" "b c" ]) (showAttrPath [ ]) ];
  overrideExisting = overrideExisting { a = 1; b = 2; } { b = 3; c = 4; };
  recurseIntoAttrs = recurseIntoAttrs { };
  unionOfDisjoint = unionOfDisjoint { a = 1; } { b = 2; };
  attrsetsNamespace = attrsets.attrByPath [ "a" ] 0 set;
}
