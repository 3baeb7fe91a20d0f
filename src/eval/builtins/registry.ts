// How builtin families register themselves: each family file exports `register(r)` and calls
// `r.def(name, arity, fn)` / `r.constant(name, value)`. Names are without the `__` prefix.
import type { EvalState } from "../state.js";
import { PrimOp, type PrimOpFn, type Value } from "../value.js";

/** Builtins that are in the global scope without the `__` prefix (all are also in `builtins`). */
export const GLOBAL_BUILTINS: ReadonlySet<string> = new Set([
  "abort", "baseNameOf", "break", "builtins", "derivation", "derivationStrict", "dirOf", "false",
  "fetchGit", "fetchMercurial", "fetchTarball", "fetchTree", "fromTOML", "import", "isNull", "map",
  "null", "placeholder", "removeAttrs", "scopedImport", "throw", "toString", "true",
]);

export class BuiltinRegistry {
  readonly entries = new Map<string, Value>();
  constructor(readonly state: EvalState) {}
  /**
   * Defines a primop. `fn` receives exactly `arity` arguments, unevaluated (possibly thunks), and
   * forces what it needs; it may return a thunk. Errors it throws get the trace line
   * "while calling the 'NAME' builtin" added by the caller.
   */
  def(name: string, arity: number, fn: PrimOpFn, opts?: { readonly addTrace?: boolean; readonly lambdaFormals?: ReadonlyMap<string, boolean> }): void {
    this.entries.set(name, new PrimOp(name, arity, fn, opts?.addTrace ?? true, opts?.lambdaFormals ?? null));
  }
  constant(name: string, value: Value): void {
    this.entries.set(name, value);
  }
}

export type RegisterBuiltins = (r: BuiltinRegistry) => void;
