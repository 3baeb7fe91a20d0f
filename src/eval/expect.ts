// Forcing a value to an expected type, with Nix's "expected a T but found a U: VALUE" errors.
import { EvalError } from "./errors.js";
import { showValueForError } from "./print.js";
import {
  Attrs,
  NixFloat,
  NixPath,
  NixString,
  Thunk,
  isCallable,
  isString,
  showType,
  type Pos,
  type Value,
} from "./value.js";

export function typeError(expected: string, v: Value, ctx: string | null, pos: Pos | null = null): EvalError {
  const e = new EvalError(`expected ${expected} but found ${showType(v)}: ${showValueForError(v)}`, "eval", pos);
  if (ctx !== null) e.addTrace(ctx, pos);
  return e;
}

export function expectInt(v: Value, ctx: string | null, pos: Pos | null = null): number | bigint {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "number" || typeof v === "bigint") return v;
  throw typeError("an integer", v, ctx, pos);
}

/** An int or float, as a JS number (ints may lose precision above 2^53, as in float contexts). */
export function expectNumber(v: Value, ctx: string | null, pos: Pos | null = null): number | bigint | NixFloat {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "number" || typeof v === "bigint" || v instanceof NixFloat) return v;
  throw typeError("a float", v, ctx, pos);
}

export function expectBool(v: Value, ctx: string | null, pos: Pos | null = null): boolean {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "boolean") return v;
  throw typeError("a Boolean", v, ctx, pos);
}

export function expectString(v: Value, ctx: string | null, pos: Pos | null = null): string | NixString {
  if (v instanceof Thunk) v = v.force();
  if (isString(v)) return v;
  throw typeError("a string", v, ctx, pos);
}

/** A string that must not carry context (attribute names, `getEnv`, …). */
export function expectPlainString(v: Value, ctx: string | null, pos: Pos | null = null): string {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "string") return v;
  if (v instanceof NixString) {
    const first = [...v.ctx][0];
    const path = first.startsWith("=") ? first.slice(1) : first.startsWith("!") ? first.slice(first.indexOf("!", 1) + 1) : first;
    const e = new EvalError(`the string '${v.s}' is not allowed to refer to a store path (such as '${path}')`, "eval", pos);
    if (ctx !== null) e.addTrace(ctx, pos);
    throw e;
  }
  throw typeError("a string", v, ctx, pos);
}

export function expectAttrs(v: Value, ctx: string | null, pos: Pos | null = null): Attrs {
  if (v instanceof Thunk) v = v.force();
  if (v instanceof Attrs) return v;
  throw typeError("a set", v, ctx, pos);
}

export function expectList(v: Value, ctx: string | null, pos: Pos | null = null): Value[] {
  if (v instanceof Thunk) v = v.force();
  if (Array.isArray(v)) return v;
  throw typeError("a list", v, ctx, pos);
}

export function expectPath(v: Value, ctx: string | null, pos: Pos | null = null): NixPath {
  if (v instanceof Thunk) v = v.force();
  if (v instanceof NixPath) return v;
  throw typeError("a path", v, ctx, pos);
}

/** Something callable: a lambda, a primop (application) or a set with `__functor`. */
export function expectFunction(v: Value, ctx: string | null, pos: Pos | null = null): Value {
  if (v instanceof Thunk) v = v.force();
  if (isCallable(v)) return v;
  throw typeError("a function", v, ctx, pos);
}
