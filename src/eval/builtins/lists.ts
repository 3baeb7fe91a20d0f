// List builtins: length, head, tail, elemAt, map, filter, elem, concatLists, concatMap, foldl',
// any, all, genList, sort, partition.
import { lessThan, valuesEqual } from "../compare.js";
import { EvalError } from "../errors.js";
import { expectBool, expectFunction, expectInt, expectList } from "../expect.js";
import type { EvalState } from "../state.js";
import { Attrs, PrimOp, Thunk, intToString, type Pos, type Value } from "../value.js";
import { applier, deferred } from "./lazy.js";
import type { BuiltinRegistry } from "./registry.js";

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("length", 1, (args, pos) => {
    return expectList(args[0], "while evaluating the first argument passed to builtins.length", pos).length;
  });

  r.def("head", 1, (args, pos) => {
    const list = expectList(args[0], "while evaluating the first argument passed to 'builtins.head'", pos);
    if (list.length === 0) throw new EvalError("'builtins.head' called on an empty list", "eval", pos);
    return list[0];
  });

  r.def("tail", 1, (args, pos) => {
    const list = expectList(args[0], "while evaluating the first argument passed to 'builtins.tail'", pos);
    if (list.length === 0) throw new EvalError("'builtins.tail' called on an empty list", "eval", pos);
    return list.slice(1);
  });

  r.def("elemAt", 2, (args, pos) => {
    const n = expectInt(args[1], "while evaluating the second argument passed to 'builtins.elemAt'", pos);
    const list = expectList(args[0], "while evaluating the first argument passed to 'builtins.elemAt'", pos);
    if (typeof n !== "number" || n < 0 || n >= list.length) {
      throw new EvalError(
        `'builtins.elemAt' called with index ${intToString(n)} on a list of size ${list.length}`,
        "eval",
        pos,
      );
    }
    return list[n];
  });

  r.def("map", 2, (args, pos) => {
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.map", pos);
    if (list.length === 0) return list;
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.map", pos);
    const apply = applier(state, f, pos);
    const out: Value[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = deferred(apply, list[i]);
    return out;
  });

  r.def("filter", 2, (args, pos) => {
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.filter", pos);
    if (list.length === 0) return list;
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.filter", pos);
    const out: Value[] = [];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      const keep = expectBool(
        state.call1(f, x, pos),
        "while evaluating the return value of the filtering function passed to builtins.filter",
        pos,
      );
      if (keep) out.push(x);
    }
    return out.length === list.length ? list : out;
  });

  r.def("elem", 2, (args, pos) => {
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.elem", pos);
    const x = args[0];
    for (let i = 0; i < list.length; i++) if (valuesEqual(x, list[i], false)) return true;
    return false;
  });

  r.def("concatLists", 1, (args, pos) => {
    const lists = expectList(args[0], "while evaluating the first argument passed to builtins.concatLists", pos);
    const parts: Value[][] = new Array(lists.length);
    for (let i = 0; i < lists.length; i++) {
      parts[i] = expectList(lists[i], "while evaluating a value of the list passed to builtins.concatLists", pos);
    }
    return concat(parts);
  });

  r.def("concatMap", 2, (args, pos) => {
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.concatMap", pos);
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.concatMap", pos);
    const parts: Value[][] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      parts[i] = expectList(
        state.call1(f, list[i], pos),
        "while evaluating the return value of the function passed to builtins.concatMap",
        pos,
      );
    }
    return concat(parts);
  });

  r.def("foldl'", 3, (args, pos) => {
    const op = expectFunction(args[0], "while evaluating the first argument passed to builtins.foldlStrict", pos);
    const list = expectList(args[2], "while evaluating the third argument passed to builtins.foldlStrict", pos);
    // Every intermediate accumulator is forced: `call` returns values in weak head normal form.
    let acc = args[1];
    for (let i = 0; i < list.length; i++) acc = state.call2(op, acc, list[i], pos);
    return acc;
  });

  r.def("any", 2, (args, pos) => anyOrAll(state, args, pos, true));
  r.def("all", 2, (args, pos) => anyOrAll(state, args, pos, false));

  r.def("genList", 2, (args, pos) => {
    const n = expectInt(args[1], "while evaluating the second argument passed to builtins.genList", pos);
    if (n < 0 || typeof n !== "number" || n > 0xffffffff) {
      throw new EvalError(`cannot create list of size ${intToString(n)}`, "eval", pos);
    }
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.genList", null);
    const apply = applier(state, f, pos);
    const out: Value[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = deferred(apply, i);
    return out;
  });

  r.def("sort", 2, (args, pos) => {
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.sort", pos);
    if (list.length === 0) return list;
    const cmp = expectFunction(args[0], "while evaluating the first argument passed to builtins.sort", pos);
    const items: Value[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      items[i] = x instanceof Thunk ? x.force() : x;
    }
    const less =
      cmp instanceof PrimOp && cmp.name === "lessThan"
        ? (a: Value, b: Value): boolean => {
            try {
              return lessThan(a, b);
            } catch (e) {
              if (e instanceof EvalError) e.addTrace("while evaluating the ordering function passed to builtins.sort");
              throw e;
            }
          }
        : (a: Value, b: Value): boolean =>
            expectBool(
              state.call2(cmp, a, b, null),
              "while evaluating the return value of the sorting function passed to builtins.sort",
              pos,
            );
    mergeSort(items, less);
    return items;
  });

  r.def("partition", 2, (args, pos) => {
    const f = expectFunction(args[0], "while evaluating the first argument passed to builtins.partition", pos);
    const list = expectList(args[1], "while evaluating the second argument passed to builtins.partition", pos);
    const right: Value[] = [];
    const wrong: Value[] = [];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (x instanceof Thunk) x.force();
      const ok = expectBool(
        state.call1(f, x, pos),
        "while evaluating the return value of the partition function passed to builtins.partition",
        pos,
      );
      (ok ? right : wrong).push(x);
    }
    return new Attrs(
      new Map<string, Value>([
        ["right", right],
        ["wrong", wrong],
      ]),
    );
  });
}

function anyOrAll(state: EvalState, args: Value[], pos: Pos | null, any: boolean): boolean {
  const name = any ? "any" : "all";
  const f = expectFunction(args[0], `while evaluating the first argument passed to builtins.${name}`, pos);
  const list = expectList(args[1], `while evaluating the second argument passed to builtins.${name}`, pos);
  const ctx = `while evaluating the return value of the function passed to builtins.${name}`;
  for (let i = 0; i < list.length; i++) {
    if (expectBool(state.call1(f, list[i], pos), ctx, pos) === any) return any;
  }
  return !any;
}

/** Concatenation without spreading (safe for very long lists). */
function concat(parts: Value[][]): Value[] {
  let total = 0;
  let nonEmpty = -1;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].length > 0) {
      total += parts[i].length;
      nonEmpty = nonEmpty === -1 ? i : -2;
    }
  }
  if (nonEmpty >= 0) return parts[nonEmpty];
  const out: Value[] = new Array(total);
  let k = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    for (let j = 0; j < p.length; j++) out[k++] = p[j];
  }
  return out;
}

/**
 * Stable merge sort calling `less(a, b)` ("a goes before b"). Any comparator yields a permutation
 * of the input; runs that are already in order cost one comparison per merge.
 */
function mergeSort(items: Value[], less: (a: Value, b: Value) => boolean): void {
  const n = items.length;
  if (n < 2) return;
  const tmp: Value[] = new Array(n);
  sortRange(items, tmp, 0, n, less);
}

const INSERTION_LIMIT = 12;

function sortRange(a: Value[], tmp: Value[], lo: number, hi: number, less: (a: Value, b: Value) => boolean): void {
  if (hi - lo <= INSERTION_LIMIT) {
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i];
      let j = i;
      while (j > lo && less(x, a[j - 1])) {
        a[j] = a[j - 1];
        j--;
      }
      a[j] = x;
    }
    return;
  }
  const mid = (lo + hi) >>> 1;
  sortRange(a, tmp, lo, mid, less);
  sortRange(a, tmp, mid, hi, less);
  if (!less(a[mid], a[mid - 1])) return; // already in order
  for (let i = lo; i < mid; i++) tmp[i] = a[i];
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    if (less(a[j], tmp[i])) a[k++] = a[j++];
    else a[k++] = tmp[i++];
  }
  while (i < mid) a[k++] = tmp[i++];
}
