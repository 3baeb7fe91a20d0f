# List helpers.
{ lib }:
let
  inherit (builtins) length elemAt head tail filter genList isList concatLists concatMap foldl'
    elem any all partition sort lessThan;

  singleton = x: [ x ];
  forEach = list: f: map f list;

  # Right fold; lazy in the accumulator.
  foldr = op: nul: list:
    let
      n = length list;
      go = i: if i == n then nul else op (elemAt list i) (go (i + 1));
    in go 0;

  # Left fold that does not force intermediate accumulators.
  foldl = op: nul: list:
    let go = i: if i < 0 then nul else op (go (i - 1)) (elemAt list i);
    in go (length list - 1);

  imap0 = f: list: genList (i: f i (elemAt list i)) (length list);
  imap1 = f: list: genList (i: f (i + 1) (elemAt list i)) (length list);
  ifilter0 = pred: list:
    map (i: elemAt list i) (filter (i: pred i (elemAt list i)) (range 0 (length list - 1)));

  flatten = x: if isList x then concatMap flatten x else [ x ];
  remove = e: filter (x: x != e);

  findFirstIndex = pred: fallback: list:
    let
      n = length list;
      go = i: if i == n then fallback else if pred (elemAt list i) then i else go (i + 1);
    in go 0;
  findFirst = pred: fallback: list:
    let i = findFirstIndex pred null list; in
    if i == null then fallback else elemAt list i;
  findSingle = pred: none: multiple: list:
    let found = filter pred list; in
    if found == [ ] then none else if length found > 1 then multiple else head found;

  count = pred: foldl' (c: x: if pred x then c + 1 else c) 0;

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: list: if cond then list else [ ];
  toList = x: if isList x then x else [ x ];

  range = first: last: if first > last then [ ] else genList (i: first + i) (last - first + 1);
  replicate = n: x: genList (_: x) n;

  groupBy' = op: nul: key: list:
    builtins.mapAttrs (_: foldl op nul) (builtins.groupBy key list);

  zipListsWith = f: a: b:
    genList (i: f (elemAt a i) (elemAt b i)) (lib.trivial.min (length a) (length b));
  zipLists = zipListsWith (fst: snd: { inherit fst snd; });

  reverseList = list: let n = length list; in genList (i: elemAt list (n - 1 - i)) n;

  sortOn = f: list:
    map (pair: pair.item)
      (sort (a: b: a.key < b.key) (map (item: { inherit item; key = f item; }) list));

  compareLists = cmp: a: b:
    if a == [ ] then (if b == [ ] then 0 else -1)
    else if b == [ ] then 1
    else
      let c = cmp (head a) (head b); in
      if c == 0 then compareLists cmp (tail a) (tail b) else c;

  naturalSort = list:
    let
      chunk = s: map (part: if isList part then builtins.fromJSON (head part) else part)
        (builtins.split "([0-9]+)" s);
      decorated = map (s: { key = chunk s; item = s; }) list;
      cmpChunk = a: b:
        if builtins.isInt a && builtins.isInt b then lib.trivial.compare a b
        else lib.trivial.compare (toString a) (toString b);
      less = a: b: compareLists cmpChunk a.key b.key < 0;
    in map (d: d.item) (sort less decorated);

  take = n: sublist 0 n;
  drop = n: list: sublist n (length list) list;
  takeEnd = n: list: drop (lib.trivial.max 0 (length list - n)) list;
  dropEnd = n: list: take (lib.trivial.max 0 (length list - n)) list;
  sublist = start: n: list:
    let
      len = length list;
      from = if start < 0 then 0 else start;
      avail = len - from;
      size = if from >= len then 0 else if n > avail then avail else n;
    in genList (i: elemAt list (from + i)) (if size < 0 then 0 else size);

  hasPrefix = prefix: list: take (length prefix) list == prefix;
  removePrefix = prefix: list:
    if hasPrefix prefix list then drop (length prefix) list
    else throw "lib.lists.removePrefix: First argument is not a list prefix of the second argument";

  commonPrefix = a: b:
    let
      n = lib.trivial.min (length a) (length b);
      same = findFirstIndex (i: elemAt a i != elemAt b i) n (range 0 (n - 1));
    in take same a;

  last = list:
    assert lib.asserts.assertMsg (list != [ ]) "lists.last: list must not be empty!";
    elemAt list (length list - 1);
  init = list:
    assert lib.asserts.assertMsg (list != [ ]) "lists.init: list must not be empty!";
    take (length list - 1) list;

  crossLists = f: lists: map (args: foldl' (g: a: g a) f args)
    (foldl' (acc: list: concatMap (prefix: map (x: prefix ++ [ x ]) list) acc) [ [ ] ] lists);

  # Keep the first occurrence of every element.
  unique = foldl' (seen: x: if elem x seen then seen else seen ++ [ x ]) [ ];
  uniqueStrings = list: builtins.attrNames (builtins.listToAttrs (map (name: { inherit name; value = null; }) list));
  allUnique = list: length (unique list) == length list;

  intersectLists = a: filter (x: elem x a);
  subtractLists = a: filter (x: !(elem x a));
  mutuallyExclusive = a: b: a == [ ] || !(any (x: elem x a) b);

  # Stable topological sort: repeatedly takes the first element that nothing remaining must
  # precede. `before a b` says a must come before b. A cycle gives { cycle; loops; }.
  toposort = before: list:
    let
      step = done: rest:
        if rest == [ ] then { result = done; }
        else
          let
            isMinimal = x: !(any (y: y != x && before y x) rest);
            pick = findFirstIndex isMinimal null rest;
          in
          if pick == null then
            let x = head rest; in
            { cycle = rest; loops = filter (y: before y x) rest; }
          else
            let x = elemAt rest pick; in
            step (done ++ [ x ]) (take pick rest ++ drop (pick + 1) rest);
    in step [ ] list;

in
{
  inherit singleton forEach foldr foldl imap0 imap1 ifilter0 flatten remove findFirstIndex
    findFirst findSingle count optional optionals toList range replicate groupBy' zipListsWith
    zipLists reverseList sortOn compareLists naturalSort take drop takeEnd dropEnd sublist
    hasPrefix removePrefix commonPrefix last init crossLists unique uniqueStrings allUnique
    intersectLists subtractLists mutuallyExclusive toposort foldl';
  fold = foldr;
  inherit (builtins) length elemAt head tail filter genList isList concatLists concatMap elem
    any all partition sort groupBy;
}
