// Type predicates and control builtins: typeOf/is*, seq/deepSeq, throw/abort/tryEval,
// addErrorContext, trace/traceVerbose/warn/break, functionArgs, getEnv, genericClosure.
import { lessThan } from "../compare.js";
import { EvalError } from "../errors.js";
import { expectAttrs, expectFunction, expectList, expectPlainString, expectString } from "../expect.js";
import { printValue, showValueForError } from "../print.js";
import type { EvalState } from "../state.js";
import {
  Attrs,
  Lambda,
  PrimOp,
  NixFloat,
  NixPath,
  NixString,
  Thunk,
  force,
  isFunction,
  isString,
  stringBytes,
  typeOf,
  type AttrPositions,
  type LambdaInfo,
  type Pos,
  type Value,
} from "../value.js";
import type { BuiltinRegistry } from "./registry.js";

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("typeOf", 1, (args) => typeOf(force(args[0])));
  r.def("isNull", 1, (args) => force(args[0]) === null);
  r.def("isBool", 1, (args) => typeof force(args[0]) === "boolean");
  r.def("isInt", 1, (args) => {
    const t = typeof force(args[0]);
    return t === "number" || t === "bigint";
  });
  r.def("isFloat", 1, (args) => force(args[0]) instanceof NixFloat);
  r.def("isString", 1, (args) => {
    return isString(force(args[0]));
  });
  r.def("isPath", 1, (args) => force(args[0]) instanceof NixPath);
  r.def("isAttrs", 1, (args) => force(args[0]) instanceof Attrs);
  r.def("isList", 1, (args) => Array.isArray(force(args[0])));
  r.def("isFunction", 1, (args) => {
    return isFunction(force(args[0]));
  });

  r.def("seq", 2, (args) => {
    force(args[0]);
    return force(args[1]);
  });
  r.def("deepSeq", 2, (args) => {
    state.forceDeep(args[0]);
    return force(args[1]);
  });

  r.def("throw", 1, (args, pos) => {
    const msg = coerceMessage(state, args[0], true, "while evaluating the error message passed to builtin.throw", pos);
    throw new EvalError(msg, "throw");
  });
  r.def("abort", 1, (args, pos) => {
    const msg = coerceMessage(state, args[0], true, "while evaluating the error message passed to builtins.abort", pos);
    throw new EvalError(`evaluation aborted with the following error message: '${msg}'`, "abort");
  });

  r.def("tryEval", 1, (args) => {
    const map = new Map<string, Value>();
    try {
      force(args[0]);
      map.set("success", true);
      map.set("value", args[0]);
    } catch (e) {
      if (!(e instanceof EvalError) || !e.catchable) throw e;
      map.set("success", false);
      map.set("value", false);
    }
    return new Attrs(map);
  });

  // The builtin's own "while calling" line is left out: the context message replaces it.
  r.def(
    "addErrorContext",
    2,
    (args, pos) => {
      try {
        return force(args[1]);
      } catch (e) {
        if (e instanceof EvalError) {
          const msg = coerceMessage(
            state,
            args[0],
            false,
            "while evaluating the error message passed to builtins.addErrorContext",
            pos,
          );
          e.addContext(msg);
        }
        throw e;
      }
    },
    { addTrace: false },
  );

  r.def("trace", 2, (args) => {
    printTrace(state, args[0]);
    return force(args[1]);
  });
  r.def("traceVerbose", 2, (args) => {
    if (state.settings.traceVerbose) printTrace(state, args[0]);
    return force(args[1]);
  });
  r.def("warn", 2, (args, pos) => {
    const msg = expectString(args[0], "while evaluating the first argument; the message passed to builtins.warn", pos);
    state.io.warn(`evaluation warning: ${typeof msg === "string" ? msg : msg.s}`);
    if (state.settings.abortOnWarn) {
      throw new EvalError("aborting to reveal stack trace of warning, as abort-on-warn is set", "abort", pos);
    }
    return force(args[1]);
  });
  // No debugger: `break` is the identity.
  r.def("break", 1, (args) => args[0]);

  r.def("functionArgs", 1, (args, pos) => {
    const f = force(args[0]);
    if (f instanceof PrimOp && f.lambdaFormals !== null) return new Attrs(new Map(f.lambdaFormals));
    if (isFunction(f) && !(f instanceof Lambda)) return Attrs.empty;
    if (!(f instanceof Lambda)) throw new EvalError("'functionArgs' requires a function", "eval", pos);
    const formals = f.info.formals;
    if (formals === null) return Attrs.empty;
    const map = new Map<string, Value>();
    for (let i = 0; i < formals.length; i++) map.set(formals[i].name, formals[i].default !== null);
    return new Attrs(map, formalPositions(state, f.info));
  });

  r.def("getEnv", 1, (args, pos) => {
    const name = expectPlainString(args[0], "while evaluating the first argument passed to builtins.getEnv", pos);
    if (state.settings.pure) return "";
    return state.io.getEnv(name) ?? "";
  });

  r.def("genericClosure", 1, (args, pos) => genericClosure(state, args[0], pos));
}

/** Coerces an error message (throw/abort/addErrorContext) as interpolation does. */
function coerceMessage(state: EvalState, v: Value, copyToStore: boolean, ctx: string, pos: Pos | null): string {
  try {
    const s = state.coerceToString(v, { copyToStore }, pos);
    return typeof s === "string" ? s : s.s;
  } catch (e) {
    if (e instanceof EvalError) e.addTrace(ctx, pos);
    throw e;
  }
}

/** `trace: ` + a string raw, or any other value printed without forcing anything. */
function printTrace(state: EvalState, v: Value): void {
  const x = force(v);
  const text = typeof x === "string" ? x : x instanceof NixString ? x.s : printValue(x, { style: "message" });
  state.io.warn(`trace: ${text}`);
}

/** Where each formal was written, shared by every functionArgs result of the same lambda. */
function formalPositions(state: EvalState, info: LambdaInfo): AttrPositions | null {
  const cache = state.cache("functionArgs.positions", () => new WeakMap<LambdaInfo, AttrPositions | null>());
  let p = cache.get(info);
  if (p === undefined) {
    const offsets = new Map<string, number>();
    for (const formal of info.formals ?? []) if (formal.pos !== undefined) offsets.set(formal.name, formal.pos);
    p = offsets.size > 0 ? { source: info.pos.source, offsets } : null;
    cache.set(info, p);
  }
  return p;
}

// --- genericClosure ---------------------------------------------------------------------------

const enum KeyKind {
  None,
  String,
  Path,
  Int,
  /** Anything else (floats, lists, mixed int/float …): an ordered set using `<`. */
  Ordered,
}

/**
 * The set of keys already seen. Strings, paths and ints (the common cases) use hash sets; other
 * keys fall back to a sorted array searched with `<`, so equality is "neither is less", which
 * makes `1` and `1.0` the same key. Keys of a kind different from the first key's are compared
 * with it, which raises the `<` type error.
 */
class KeyTracker {
  private kind = KeyKind.None;
  private firstKey: Value = null;
  private firstElem: Value = null;
  private strings: Set<string> | null = null;
  private ints: Map<number | bigint, Value> | null = null;
  private orderedKeys: Value[] = [];
  private orderedElems: Value[] = [];

  /** Records `key` (forced) of `elem`; false if an equal key was seen before. */
  insert(key: Value, elem: Value): boolean {
    switch (this.kind) {
      case KeyKind.None:
        this.firstKey = key;
        this.firstElem = elem;
        if (isString(key)) {
          this.kind = KeyKind.String;
          this.strings = new Set([stringBytes(key)]);
        } else if (key instanceof NixPath) {
          this.kind = KeyKind.Path;
          this.strings = new Set([key.path]);
        } else if (typeof key === "number" || typeof key === "bigint") {
          this.kind = KeyKind.Int;
          this.ints = new Map([[key, elem]]);
        } else {
          this.kind = KeyKind.Ordered;
          this.orderedKeys.push(key);
          this.orderedElems.push(elem);
        }
        return true;
      case KeyKind.String:
        if (isString(key)) return addNew(this.strings!, stringBytes(key));
        return this.compareError(key, elem);
      case KeyKind.Path:
        if (key instanceof NixPath) return addNew(this.strings!, key.path);
        return this.compareError(key, elem);
      case KeyKind.Int:
        if (typeof key === "number" || typeof key === "bigint") {
          const ints = this.ints!;
          if (ints.has(key)) return false;
          ints.set(key, elem);
          return true;
        }
        if (key instanceof NixFloat) {
          this.promoteInts();
          return this.insertOrdered(key, elem);
        }
        return this.compareError(key, elem);
      case KeyKind.Ordered:
        return this.insertOrdered(key, elem);
    }
  }

  private promoteInts(): void {
    const entries = [...this.ints!.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [k, e] of entries) {
      this.orderedKeys.push(k);
      this.orderedElems.push(e);
    }
    this.ints = null;
    this.kind = KeyKind.Ordered;
  }

  private insertOrdered(key: Value, elem: Value): boolean {
    const keys = this.orderedKeys;
    try {
      // First index whose key is greater than `key`; an equal key would sit just before it.
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (lessThan(key, keys[mid])) hi = mid;
        else lo = mid + 1;
      }
      if (lo > 0 && !lessThan(keys[lo - 1], key)) return false;
      keys.splice(lo, 0, key);
      this.orderedElems.splice(lo, 0, elem);
      return true;
    } catch (e) {
      if (e instanceof EvalError) {
        let other: Value | undefined;
        for (let i = 0; i < keys.length && other === undefined; i++) {
          try {
            lessThan(key, keys[i]);
          } catch {
            other = this.orderedElems[i];
          }
        }
        if (other !== undefined) addCompareTraces(e, elem, other);
        else e.addTrace(`while checking key of element ${showValueForError(elem)}`);
      }
      throw e;
    }
  }

  private compareError(key: Value, elem: Value): never {
    try {
      lessThan(key, this.firstKey);
    } catch (e) {
      if (e instanceof EvalError) addCompareTraces(e, elem, this.firstElem);
      throw e;
    }
    throw new EvalError(`cannot compare ${typeOf(key)} keys with ${typeOf(this.firstKey)} keys`);
  }
}

function addNew(set: Set<string>, s: string): boolean {
  if (set.has(s)) return false;
  set.add(s);
  return true;
}

function addCompareTraces(e: EvalError, elem: Value, other: Value): void {
  e.addTrace(`with element ${showValueForError(other)}`);
  e.addTrace(`while comparing element ${showValueForError(elem)}`);
}

function genericClosure(state: EvalState, arg: Value, pos: Pos | null): Value {
  const attrs = expectAttrs(arg, "while evaluating the first argument passed to builtins.genericClosure", pos);
  const startSet = expectList(
    requireAttr(attrs, "startSet", "in the attrset passed as argument to builtins.genericClosure"),
    "while evaluating the 'startSet' attribute passed as argument to builtins.genericClosure",
  );
  if (startSet.length === 0) return startSet;
  const queue: (Value | undefined)[] = startSet.slice();
  const op = expectFunction(
    requireAttr(attrs, "operator", "in the attrset passed as argument to builtins.genericClosure"),
    "while evaluating the 'operator' attribute passed as argument to builtins.genericClosure",
  );

  const result: Value[] = [];
  const keys = new KeyTracker();
  for (let head = 0; head < queue.length; head++) {
    let e = queue[head] as Value;
    queue[head] = undefined;
    let set: Attrs;
    let key: Value | undefined;
    try {
      if (e instanceof Thunk) e = e.force();
      set = expectAttrs(e, null);
      key = set.get("key");
      if (key === undefined) throw new EvalError("attribute 'key' missing");
    } catch (err) {
      if (err instanceof EvalError) err.addTrace(`in genericClosure element ${showValueForError(e)}`);
      throw err;
    }
    if (!keys.insert(force(key), set)) continue;
    result.push(set);

    try {
      const more = expectList(
        state.call(op, [set], pos),
        "while evaluating the return value of the `operator` passed to builtins.genericClosure",
      );
      for (let i = 0; i < more.length; i++) {
        const x = more[i];
        queue.push(x instanceof Thunk ? x.force() : x);
      }
    } catch (err) {
      if (err instanceof EvalError) {
        err.addTrace(`while calling operator on genericClosure element ${showValueForError(set)}`);
      }
      throw err;
    }
  }
  return result;
}

function requireAttr(attrs: Attrs, name: string, ctx: string): Value {
  const v = attrs.get(name);
  if (v === undefined) throw new EvalError(`attribute '${name}' missing`).addTrace(ctx);
  return v;
}
