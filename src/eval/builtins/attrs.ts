// Attribute set builtins: attrNames, attrValues, getAttr, hasAttr, removeAttrs, listToAttrs,
// intersectAttrs, catAttrs, mapAttrs, zipAttrsWith, unsafeGetAttrPos, groupBy.
import type { Source } from "../../lang/ast.js";
import { EvalError } from "../errors.js";
import { expectAttrs, expectFunction, expectList, expectPlainString } from "../expect.js";
import type { EvalState } from "../state.js";
import { Attrs, Keys, findAttrPos, type AttrPositions, type Value } from "../value.js";
import { deferred } from "./lazy.js";
import type { BuiltinRegistry } from "./registry.js";

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("attrNames", 1, (args, pos) => {
    return expectAttrs(args[0], "while evaluating the argument passed to builtins.attrNames", pos).sortedNames();
  });

  r.def("attrValues", 1, (args, pos) => {
    const s = expectAttrs(args[0], "while evaluating the argument passed to builtins.attrValues", pos);
    const names = s.sortedNamesShared();
    const out: Value[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) out[i] = s.get(names[i])!;
    return out;
  });

  r.def("getAttr", 2, (args, pos) => {
    const name = expectPlainString(args[0], "while evaluating the first argument passed to builtins.getAttr", pos);
    const s = expectAttrs(args[1], "while evaluating the second argument passed to builtins.getAttr", pos);
    const v = s.get(name);
    if (v === undefined) {
      throw new EvalError(`attribute '${name}' missing`, "eval", pos).addTrace("in the attribute set under consideration");
    }
    return v;
  });

  r.def("hasAttr", 2, (args, pos) => {
    const name = expectPlainString(args[0], "while evaluating the first argument passed to builtins.hasAttr", pos);
    return expectAttrs(args[1], "while evaluating the second argument passed to builtins.hasAttr", pos).has(name);
  });

  r.def("removeAttrs", 2, (args, pos) => {
    const s = expectAttrs(args[0], "while evaluating the first argument passed to builtins.removeAttrs", pos);
    const names = expectList(args[1], "while evaluating the second argument passed to builtins.removeAttrs", pos);
    const remove = new Array<string>(names.length);
    for (let i = 0; i < names.length; i++) {
      remove[i] = expectPlainString(
        names[i],
        "while evaluating the values of the second argument passed to builtins.removeAttrs",
        pos,
      );
    }
    const keys = s.arrayKeys();
    if (keys !== null) {
      // Array-backed: keep the names not removed, in order (sharing the names if none is).
      const values = s.arrayValues()!;
      let drop: Set<number> | null = null;
      for (let i = 0; i < remove.length; i++) {
        const at = keys.find(remove[i]);
        if (at >= 0) (drop ??= new Set()).add(at);
      }
      if (drop === null) return Attrs.fromKeys(keys, values.slice(), s.positions);
      const names: string[] = [];
      const kept: Value[] = [];
      for (let i = 0; i < values.length; i++) {
        if (drop.has(i)) continue;
        names.push(keys.name(i));
        kept.push(values[i]);
      }
      return Attrs.fromKeys(Keys.of(names), kept, s.positions);
    }
    let map: Map<string, Value> | null = null;
    for (let i = 0; i < remove.length; i++) {
      if ((map ?? s.map).has(remove[i])) {
        map ??= new Map(s.map);
        map.delete(remove[i]);
      }
    }
    // Nothing removed: a copy with the same contents (Nix allocates a new set too).
    return new Attrs(map ?? new Map(s.map), s.positions);
  });

  r.def("listToAttrs", 1, (args, pos) => {
    const list = expectList(args[0], "while evaluating the argument passed to builtins.listToAttrs", pos);
    const n = list.length;
    // Pass 1, in list order: every element and its name are forced.
    const elems: Attrs[] = new Array(n);
    const names: string[] = new Array(n);
    let source: Source | null = null;
    for (let i = 0; i < n; i++) {
      const elem = expectAttrs(list[i], "while evaluating an element of the list passed to builtins.listToAttrs", pos);
      const nameV = elem.get("name");
      if (nameV === undefined) {
        throw new EvalError("attribute 'name' missing", "eval", pos).addTrace("in a {name=...; value=...;} pair");
      }
      names[i] = expectPlainString(
        nameV,
        "while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs",
        pos,
      );
      elems[i] = elem;
      if (source === null && elem.positions !== null) source = elem.positions.source;
    }
    // Pass 2, backwards, so that the first element with a name is the one left in the map. A
    // missing `value` only matters for those winners (later duplicates don't need one).
    // The result is array-backed, its names in the order a Map filled by this pass would have.
    // The arrays are sized for the usual case of distinct names, and shortened after duplicates.
    const index = new Map<string, number>();
    const outNames: string[] = new Array(n);
    const outValues: Value[] = new Array(n);
    let count = 0;
    let missing = false;
    for (let i = n - 1; i >= 0; i--) {
      let value = elems[i].get("value");
      if (value === undefined) {
        missing = true;
        value = MISSING;
      }
      const name = names[i];
      const at = index.get(name);
      if (at === undefined) {
        index.set(name, count);
        outNames[count] = name;
        outValues[count] = value;
        count++;
      } else outValues[at] = value;
    }
    if (count < n) {
      outNames.length = count;
      outValues.length = count;
    }
    if (missing) {
      for (const v of outValues) {
        if (v === MISSING) {
          throw new EvalError("attribute 'value' missing", "eval", pos).addTrace("in a {name=...; value=...;} pair");
        }
      }
    }
    const keys = Keys.withIndex(outNames, index);
    if (source === null) return Attrs.fromKeys(keys, outValues);
    // Keep only the elements' positions (not the elements) for the lazily built positions.
    const elemPositions: (AttrPositions | null)[] = new Array(n);
    for (let i = 0; i < n; i++) elemPositions[i] = elems[i].positions;
    return Attrs.fromKeys(keys, outValues, new ListToAttrsPositions(source, names, elemPositions));
  });

  r.def("intersectAttrs", 2, (args, pos) => {
    const a = expectAttrs(args[0], "while evaluating the first argument passed to builtins.intersectAttrs", pos);
    const b = expectAttrs(args[1], "while evaluating the second argument passed to builtins.intersectAttrs", pos);
    const map = new Map<string, Value>();
    if (a.size < b.size) {
      for (const name of a.keys()) {
        const v = b.get(name);
        if (v !== undefined) map.set(name, v);
      }
    } else {
      b.forEach((v, name) => {
        if (a.has(name)) map.set(name, v);
      });
    }
    return new Attrs(map, b.positions);
  });

  r.def("catAttrs", 2, (args, pos) => {
    const name = expectPlainString(args[0], "while evaluating the first argument passed to builtins.catAttrs", pos);
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.catAttrs", pos);
    const out: Value[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = expectAttrs(
        list[i],
        "while evaluating an element in the list passed as second argument to builtins.catAttrs",
        pos,
      ).get(name);
      if (v !== undefined) out.push(v);
    }
    return out;
  });

  r.def("mapAttrs", 2, (args, pos) => {
    const s = expectAttrs(args[1], "while evaluating the second argument passed to builtins.mapAttrs", pos);
    const f = args[0];
    const keys = s.arrayKeys();
    if (keys !== null) {
      // Same names as the input: share them. Each thunk's payload is just its index.
      const values = s.arrayValues()!;
      const names = keys.list;
      const applyAt = (i: number): Value => state.call2(f, names[i], values[i], pos);
      const out: Value[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = deferred(applyAt, i);
      return Attrs.fromKeys(keys, out);
    }
    const apply = (nameValue: [string, Value]): Value => state.call2(f, nameValue[0], nameValue[1], pos);
    // Each entry [name, value] is both the thunk's payload and the call's argument list.
    const map = new Map<string, Value>();
    for (const entry of s.map) map.set(entry[0], deferred(apply, entry));
    return new Attrs(map);
  });

  r.def("zipAttrsWith", 2, (args, pos) => {
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.zipAttrsWith", pos);
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.zipAttrsWith", pos);
    const groups = new Map<string, Value[]>();
    for (let i = 0; i < list.length; i++) {
      const s = expectAttrs(
        list[i],
        "while evaluating a value of the list passed as second argument to builtins.zipAttrsWith",
        null,
      );
      s.forEach((v, name) => {
        const g = groups.get(name);
        if (g === undefined) groups.set(name, [v]);
        else g.push(v);
      });
    }
    const apply = (nameValues: [string, Value[]]): Value => state.call2(f, nameValues[0], nameValues[1], pos);
    const map = new Map<string, Value>();
    for (const entry of groups) map.set(entry[0], deferred(apply, entry));
    return new Attrs(map);
  });

  r.def("unsafeGetAttrPos", 2, (args, pos) => {
    const name = expectPlainString(
      args[0],
      "while evaluating the first argument passed to builtins.unsafeGetAttrPos",
      pos,
    );
    const s = expectAttrs(args[1], "while evaluating the second argument passed to builtins.unsafeGetAttrPos", pos);
    if (!s.has(name)) return null;
    const p = findAttrPos(s.positions, name);
    if (p === null || p.source.origin !== "file" || p.source.path === null) return null;
    return state.posToAttrs(p);
  });

  r.def("groupBy", 2, (args, pos) => {
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.groupBy", pos);
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.groupBy", pos);
    const groups = new Map<string, Value>();
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      const key = expectPlainString(
        state.call1(f, x, pos),
        "while evaluating the return value of the grouping function passed to builtins.groupBy",
        pos,
      );
      const g = groups.get(key) as Value[] | undefined;
      if (g === undefined) groups.set(key, [x]);
      else g.push(x);
    }
    return new Attrs(groups);
  });
}

/** Marks a winning listToAttrs element without `value` (reported once all names are known). */
const MISSING: Value = Object.freeze([]) as unknown as Value;

/**
 * Positions of a listToAttrs result: each attribute is at its element's `value`. Built on first
 * use (rare: unsafeGetAttrPos, error traces), from the names and elements of the call.
 */
class ListToAttrsPositions implements AttrPositions {
  private built: Map<string, number> | null = null;
  private names: string[] | null;
  private elems: (AttrPositions | null)[] | null;
  constructor(
    readonly source: Source,
    names: string[],
    elems: (AttrPositions | null)[],
  ) {
    this.names = names;
    this.elems = elems;
  }
  get offsets(): ReadonlyMap<string, number> {
    if (this.built === null) {
      const offsets = new Map<string, number>();
      const names = this.names!;
      const elems = this.elems!;
      for (let i = names.length - 1; i >= 0; i--) {
        const p = elems[i];
        const off = p !== null && p.source === this.source ? p.offsets.get("value") : undefined;
        if (off !== undefined) offsets.set(names[i], off);
        else offsets.delete(names[i]);
      }
      this.built = offsets;
      this.names = this.elems = null;
    }
    return this.built;
  }
}

/** `{ column; file; line; }` for a position in a file; null for code not read from a file. */
function positionValue(state: EvalState, p: AttrPositions, offset: number): Value {
  const source = p.source;
  if (source.origin !== "file" || source.path === null) return null;
  return state.posToAttrs({ source, offset });
}
