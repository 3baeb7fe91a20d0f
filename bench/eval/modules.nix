# A small evalModules-style module system, written from scratch for this benchmark.
#
# 200 modules each declare an option group `m<i>` with four options (count, tags, meta, deps)
# and define values for their own group and for neighbouring groups. Declarations are merged with
# `//` inside `foldl'`; definitions are collected per option, normalised (mkDefault / mkForce /
# plain priorities), sorted by priority, and the winning definitions merged by the option's
# type. The whole evaluation is a `fix`-point: modules receive the final `config` and some
# definitions read other options' values. Finally a dependency graph of 2,000 nodes, whose edges
# depend on option values, is walked with builtins.genericClosure. The whole thing is done for
# 10 independent "machines" (different seeds), like evaluating several system configurations.
let
  inherit (builtins)
    attrNames concatLists elemAt filter foldl' genList genericClosure head length
    listToAttrs mapAttrs sort;

  lib = rec {
    fix = f: let x = f x; in x;
    mod = a: b: a - (a / b) * b;
    take = n: l: genList (elemAt l) (if n < length l then n else length l);
    concatMap = f: l: concatLists (map f l);
    sum = foldl' (a: b: a + b) 0;

    mkOption = { type, default }: { _type = "option"; inherit type default; };
    mkOverride = priority: content: { _type = "override"; inherit priority content; };
    mkDefault = mkOverride 1000;
    mkForce = mkOverride 50;
    plainPriority = 100;

    types = {
      # Multiple winning definitions are added together.
      counter = { name = "counter"; merge = defs: sum defs; };
      listOf = { name = "list"; merge = defs: concatLists defs; };
      attrs = { name = "attrs"; merge = defs: foldl' (a: b: a // b) { } defs; };
    };

    normalise = def:
      if builtins.isAttrs def && (def._type or null) == "override"
      then { priority = def.priority; value = def.content; }
      else { priority = plainPriority; value = def; };

    mergeOption = opt: defs:
      if defs == [ ] then opt.default
      else
        let
          sorted = sort (a: b: a.priority < b.priority) (map normalise defs);
          best = (head sorted).priority;
          winners = filter (d: d.priority == best) sorted;
        in
        opt.type.merge (map (d: d.value) winners);

    # Two-level merge of { group = { name = x; }; } sets: `//` on the outer and inner levels.
    mergeGroups = f: acc: groups:
      acc // mapAttrs (g: fields: (acc.${g} or { }) // mapAttrs (n: v: f (acc.${g}.${n} or null) v) fields) groups;

    evalModules = modules:
      fix (self:
        let
          evaluated = map (m: m { inherit (self) config; inherit lib; }) modules;
          options = foldl' (mergeGroups (old: new: new)) { } (map (m: m.options or { }) evaluated);
          defs = foldl' (mergeGroups (old: new: (if old == null then [ ] else old) ++ [ new ])) { }
            (map (m: m.config or { }) evaluated);
        in
        {
          inherit options;
          config = mapAttrs (g: fields: mapAttrs (n: opt: mergeOption opt (defs.${g}.${n} or [ ])) fields) options;
        });
  };

  inherit (lib) mod mkOption mkDefault mkForce types;

  nModules = 200;
  nNodes = 2000;
  name = i: "m${toString (mod i nModules)}";

  machine = seed:
    let
      mkModule = i: { config, lib, ... }: {
        options.${name i} = {
          count = mkOption { type = types.counter; default = i + seed; };
          tags = mkOption { type = types.listOf; default = [ ]; };
          meta = mkOption { type = types.attrs; default = { }; };
          deps = mkOption { type = types.listOf; default = [ ]; };
        };
        config = {
          ${name i} = {
            count = mkDefault (i * 2);
            tags = [ "own-${toString i}" ];
            meta = { "from${toString i}" = i; owner = name i; };
          } // (if mod i 4 == 0 then { deps = [ (mod (i * 7 + 3) nModules) ]; } else { });

          # Module i also defines options of module i+1: the count refers back to module i's
          # final count through `config` (a chain across all 200 modules, broken every 5th).
          ${name (i + 1)} = {
            count =
              if mod (i + 1 + seed) 5 == 0 then mkForce (i + 1)
              else config.${name i}.count + 1;
            tags = [ "from-prev-${toString i}" ];
            meta = if mod i 3 == 0 then mkForce { forced = i; } else { prev = i; };
            deps = [ (mod (i * 13 + 5) nModules) (mod (i + 1) nModules) ];
          };
        } // (if mod i 7 == 0 then {
          # An extra plain definition merged (added) with the one above.
          ${name (i + 2)}.count = 1;
        } else { });
      };

      result = lib.evalModules (genList mkModule nModules);
      cfg = result.config;
      groups = attrNames cfg;

      # 2,000-node graph: node n has two fixed edges plus one chosen by an option value.
      node = n: {
        key = n;
        deps = [
          (mod (n * 7 + 1) nNodes)
          (mod (n * 31 + seed + cfg.${name n}.count) nNodes)
        ] ++ map (d: mod (d * 10 + n) nNodes) cfg.${name n}.deps;
      };
      closure = genericClosure {
        startSet = [ (node 0) ];
        operator = item: map node item.deps;
      };

      byCount = sort
        (a: b: cfg.${a}.count > cfg.${b}.count || (cfg.${a}.count == cfg.${b}.count && a < b))
        groups;
    in
    {
      optionCount = lib.sum (map (g: length (attrNames result.options.${g})) groups);
      countSum = lib.sum (map (g: cfg.${g}.count) groups);
      topByCount = map (g: { name = g; count = cfg.${g}.count; }) (lib.take 3 byCount);
      tagCount = lib.sum (map (g: length cfg.${g}.tags) groups);
      metaKeys = lib.sum (map (g: length (attrNames cfg.${g}.meta)) groups);
      forcedMeta = length (filter (g: cfg.${g}.meta ? forced) groups);
      closureSize = length closure;
      closureKeySum = lib.sum (map (x: x.key) closure);
      sample = cfg.${name (42 + seed)};
    };

  machines = genList machine 10;
in
{
  first = head machines;
  countSums = map (m: m.countSum) machines;
  closureSizes = map (m: m.closureSize) machines;
  closureKeySums = map (m: m.closureKeySum) machines;
  forcedMeta = map (m: m.forcedMeta) machines;
}
