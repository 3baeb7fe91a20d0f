// Helpers shared by the string-producing builtin families: coercing an argument with a trace line
// for its own type error, and accumulating the union of string contexts.
import { EvalError } from "../errors.js";
import { showValueForError } from "../print.js";
import type { CoerceOptions, EvalState } from "../state.js";
import { Attrs, NixFloat, NixPath, NixString, Thunk, mkString, showType, type Pos, type Value } from "../value.js";

/** Whether `state.coerceToString` accepts the (forced) value at its top level in this mode. */
function coercible(v: Value, coerceMore: boolean): boolean {
  if (typeof v === "string" || v instanceof NixString || v instanceof NixPath) return true;
  if (v instanceof Attrs) return v.has("__toString") || v.has("outPath");
  if (!coerceMore) return false;
  return (
    typeof v === "boolean" ||
    v === null ||
    typeof v === "number" ||
    typeof v === "bigint" ||
    v instanceof NixFloat ||
    Array.isArray(v)
  );
}

/**
 * Coerces a builtin's argument to a string (§3.7). A value of the wrong type fails with
 * `cannot coerce …` plus the trace line `ctx`, as Nix's builtins do.
 */
export function coerceArg(
  state: EvalState,
  v: Value,
  opts: CoerceOptions,
  ctx: string,
  pos: Pos | null,
): string | NixString {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "string" || v instanceof NixString) return v;
  if (!coercible(v, opts.coerceMore === true)) {
    throw new EvalError(`cannot coerce ${showType(v)} to a string: ${showValueForError(v)}`, "eval", pos).addTrace(ctx, pos);
  }
  return state.coerceToString(v, opts, pos);
}

/** Collects the union of the contexts of several strings; allocates only when one has context. */
export class ContextAccumulator {
  private set: Set<string> | null = null;
  add(v: string | NixString): string {
    if (typeof v === "string") return v;
    if (v.ctx.size > 0) {
      this.set ??= new Set();
      for (const c of v.ctx) this.set.add(c);
    }
    return v.s;
  }
  addElements(ctx: Iterable<string>): void {
    for (const c of ctx) (this.set ??= new Set()).add(c);
  }
  get empty(): boolean {
    return this.set === null || this.set.size === 0;
  }
  get elements(): ReadonlySet<string> {
    return this.set ?? new Set();
  }
  /** `s` with the accumulated context. */
  string(s: string): string | NixString {
    return mkString(s, this.set);
  }
}
