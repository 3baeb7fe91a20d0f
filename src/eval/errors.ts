// Evaluation errors: values with a message, an optional position and a trace of context frames.
// Rendering (code frames, --show-trace) happens once, in the CLI.
import type { Pos } from "./value.js";

/**
 * What kind of failure this is. `tryEval` catches only "throw" and "assert" (and lookup-path
 * misses, which are raised as "throw"); everything else propagates.
 */
export type ErrorKind = "throw" | "assert" | "abort" | "eval" | "recursion" | "stack" | "regex";

export interface TraceFrame {
  readonly message: string;
  readonly pos: Pos | null;
  /** Frames Nix shows only with --show-trace. */
  readonly detailed: boolean;
  /** Frames Nix shows even past the truncated part of a trace (builtins.addErrorContext's). */
  readonly always?: boolean;
}

export class EvalError extends Error {
  /** Where the error itself happened (shown under the final `error:` line). */
  pos: Pos | null;
  /** Context frames, innermost first (rendered outermost first). */
  readonly trace: TraceFrame[] = [];
  /** Extra lines printed after the position (e.g. "Did you mean …?"). */
  hint: string | null = null;
  constructor(
    message: string,
    readonly kind: ErrorKind = "eval",
    pos: Pos | null = null,
  ) {
    super(message);
    this.pos = pos;
  }
  get catchable(): boolean {
    return this.kind === "throw" || this.kind === "assert";
  }
  /** Adds a context frame (innermost first) and returns the error for rethrowing. */
  addTrace(message: string, pos: Pos | null = null, detailed = false): this {
    this.trace.push({ message, pos, detailed });
    return this;
  }
  /** Adds a frame that is shown even where the rest of the trace is cut short (addErrorContext). */
  addContext(message: string): this {
    this.trace.push({ message, pos: null, detailed: false, always: true });
    return this;
  }
  /** Sets the error's own position if it has none yet. */
  at(pos: Pos | null): this {
    if (this.pos === null) this.pos = pos;
    return this;
  }
}

export function evalError(message: string, pos: Pos | null = null): EvalError {
  return new EvalError(message, "eval", pos);
}

export function throwError(message: string): EvalError {
  return new EvalError(message, "throw");
}

/** Runs `f`, adding a trace frame to any EvalError that escapes it. */
export function withTrace<T>(message: string | (() => string), pos: Pos | null, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EvalError) e.addTrace(typeof message === "string" ? message : message(), pos);
    throw e;
  }
}

/**
 * How deeply the walks over a value (deep forcing, `==`, toJSON, toXML, coercion through lists,
 * `__toString` and `outPath`) may nest. Nix walks on its native stack and stops with "stack
 * overflow" somewhere past 60,000 (toJSON) to 700,000 (deepSeq) levels; bin/tix's stack is far
 * deeper, and an infinite value (`let x = { a = x; }; in builtins.toJSON x`) would take minutes
 * and gigabytes to exhaust it.
 */
export const MAX_VALUE_DEPTH = 200_000;

/** Ends a walk nested deeper than MAX_VALUE_DEPTH the way a native stack overflow ends (fatal, not catchable). */
export function valueNestedTooDeeply(): never {
  throw new RangeError("Maximum call stack size exceeded (a value nested too deeply)");
}
