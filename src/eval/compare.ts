// Equality (`==`) and ordering (`<`) of values, per Nix's rules (§3.3, §3.4 of the spec).
import { EvalError, MAX_VALUE_DEPTH, valueNestedTooDeeply } from "./errors.js";
import { showValueForError } from "./print.js";
import {
  Attrs,
  NixFloat,
  NixPath,
  NixString,
  Thunk,
  showType,
  typeOf,
  type Value,
} from "./value.js";

function num(v: number | bigint | NixFloat): number | bigint {
  return v instanceof NixFloat ? v.value : v;
}

function isNum(v: Value): v is number | bigint | NixFloat {
  return typeof v === "number" || typeof v === "bigint" || v instanceof NixFloat;
}

/**
 * Nix equality. `top` is true for the operands of a literal `==`: below the top level, the very
 * same stored value compares equal without inspection (so `[f] == [f]` holds for a function).
 * `depth` counts the lists and sets around `a` and `b` (see MAX_VALUE_DEPTH).
 */
export function valuesEqual(a: Value, b: Value, top: boolean, depth = 0): boolean {
  if (!top && a === b) return true;
  if (a instanceof Thunk) a = a.force();
  if (b instanceof Thunk) b = b.force();
  if (!top && a === b && typeof a === "object") return true;
  switch (typeof a) {
    case "number":
    case "bigint":
      if (typeof b === "number" || typeof b === "bigint") return a == b;
      if (b instanceof NixFloat) return Number(a) === b.value;
      return false;
    case "boolean":
      return a === b;
    case "string":
      if (typeof b === "string") return a === b;
      return b instanceof NixString && a === b.s;
  }
  if (a === null) return b === null;
  if (a instanceof NixString) return typeof b === "string" ? a.s === b : b instanceof NixString && a.s === b.s;
  if (a instanceof NixFloat) return isNum(b) && a.value === Number(num(b));
  if (a instanceof NixPath) return b instanceof NixPath && a.path === b.path;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    if (++depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i], false, depth)) return false;
    return true;
  }
  if (a instanceof Attrs) {
    if (!(b instanceof Attrs)) return false;
    if (a === b) return true;
    if (++depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
    if (isDerivation(a) && isDerivation(b)) {
      const ao = a.get("outPath"), bo = b.get("outPath");
      if (ao !== undefined && bo !== undefined) return valuesEqual(ao, bo, false, depth);
    }
    if (a.size !== b.size) return false;
    const ak = a.arrayKeys();
    if (ak !== null) {
      const av = a.arrayValues()!;
      const names = ak.list;
      const bk = b.arrayKeys();
      if (bk === ak) {
        // Same names in the same order (e.g. both built by one literal): compare by position.
        const bv = b.arrayValues()!;
        for (let i = 0; i < av.length; i++) if (!valuesEqual(av[i], bv[i], false, depth)) return false;
        return true;
      }
      for (let i = 0; i < av.length; i++) {
        const bv = b.get(names[i]);
        if (bv === undefined || !valuesEqual(av[i], bv, false, depth)) return false;
      }
      return true;
    }
    for (const [k, av] of a.map) {
      const bv = b.get(k);
      if (bv === undefined || !valuesEqual(av, bv, false, depth)) return false;
    }
    return true;
  }
  return false; // functions
}

function isDerivation(s: Attrs): boolean {
  const t = s.get("type");
  if (t === undefined) return false;
  const v = t instanceof Thunk ? t.force() : t;
  return v === "derivation" || (v instanceof NixString && v.s === "derivation");
}

/** `a < b` (Nix's `__lessThan`). */
export function lessThan(a: Value, b: Value): boolean {
  if (a instanceof Thunk) a = a.force();
  if (b instanceof Thunk) b = b.force();
  if (isNum(a) && isNum(b)) {
    const x = num(a), y = num(b);
    return x < y;
  }
  const ta = typeOf(a), tb = typeOf(b);
  if (ta === "string" && tb === "string") {
    return (typeof a === "string" ? a : (a as NixString).s) < (typeof b === "string" ? b : (b as NixString).s);
  }
  if (ta === "path" && tb === "path") return (a as NixPath).path < (b as NixPath).path;
  if (ta === "list" && tb === "list") {
    const la = a as Value[], lb = b as Value[];
    for (let i = 0; ; i++) {
      if (i === lb.length) return false;
      if (i === la.length) return true;
      if (!valuesEqual(la[i], lb[i], false)) {
        try {
          return lessThan(la[i], lb[i]);
        } catch (e) {
          if (e instanceof EvalError) e.addTrace("while comparing two list elements");
          throw e;
        }
      }
    }
  }
  if (ta !== tb) {
    throw new EvalError(
      `cannot compare ${showType(a)} with ${showType(b)}; values are ${showValueForError(a)} and ${showValueForError(b)}`,
    );
  }
  throw new EvalError(
    `cannot compare ${showType(a)} with ${showType(b)}; values of that type are incomparable (values are ${showValueForError(a)} and ${showValueForError(b)})`,
  );
}
