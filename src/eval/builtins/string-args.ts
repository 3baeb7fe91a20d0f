// Helpers shared by the string-producing builtin families: coercing an argument with a trace line
// for its own type error, and accumulating the union of string contexts.
import { EvalError } from "../errors.js";
import { showValueForError } from "../print.js";
import type { CoerceOptions, EvalState } from "../state.js";
import {
  Attrs,
  EMPTY_CONTEXT,
  NixFloat,
  NixPath,
  NixString,
  Thunk,
  containsAll,
  mkString,
  showType,
  type Context,
  type Pos,
  type Value,
} from "../value.js";

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

/**
 * Collects the union of the contexts of several strings. Allocates only when one has context, and
 * then only once a second context adds elements to the first (which is shared until then).
 */
export class ContextAccumulator {
  /** The union so far when it is a set of our own. */
  private set: Set<string> | null = null;
  /** Before that: the one context seen so far (a string's own, not to be modified). */
  private shared: Context | null = null;
  add(v: string | NixString): string {
    if (typeof v === "string") return v;
    if (v.ctx.size > 0) this.addElements(v.ctx);
    return v.s;
  }
  addElements(ctx: Iterable<string>): void {
    const set = this.set;
    if (set !== null) {
      for (const c of ctx) set.add(c);
      return;
    }
    const shared = this.shared;
    if (shared === null) {
      if (ctx instanceof Set) this.shared = ctx;
      else this.set = new Set(ctx);
      return;
    }
    if (ctx === shared || (ctx instanceof Set && containsAll(shared, ctx))) return;
    const own = new Set(shared);
    for (const c of ctx) own.add(c);
    this.set = own;
    this.shared = null;
  }
  get empty(): boolean {
    return (this.set ?? this.shared ?? EMPTY_CONTEXT).size === 0;
  }
  get elements(): ReadonlySet<string> {
    return this.set ?? this.shared ?? new Set();
  }
  /** `s` with the accumulated context. */
  string(s: string): string | NixString {
    return mkString(s, this.set ?? this.shared);
  }
}
