// Deferred values for builtins that return lazy results (map, mapAttrs, genList, …): thunks
// built without a compiled expression.
//
// Builtins that create one thunk per element (map over a million-element list) use `deferred`:
// the code is one closure per builtin call, and the thunk's environment slot holds the element
// itself, so each element costs a single allocation (the Thunk). The code never reads the
// environment as an array; `Thunk` only hands it back to the code.
import type { EvalState } from "../state.js";
import { Thunk, type Code, type Env, type Pos, type Value } from "../value.js";

/** A thunk that evaluates `fn()` when first forced. */
export function lazy(fn: () => Value): Thunk {
  return new Thunk(fn as unknown as Code, null as unknown as Env);
}

/** A thunk that evaluates `code(payload)` when first forced. */
export function deferred<P>(code: (payload: P) => Value, payload: P): Thunk {
  return new Thunk(code as unknown as Code, payload as unknown as Env);
}

/** Code for `deferred`: applies `f` to the payload. Create once per builtin call. */
export function applier(state: EvalState, f: Value, pos: Pos | null): (x: Value) => Value {
  return (x) => state.call1(f, x, pos);
}

/** A thunk for `f x`. */
export function lazyApply1(state: EvalState, f: Value, x: Value, pos: Pos | null): Thunk {
  return new Thunk(lazyApply1Code, [state, f, x, pos]);
}

/** A thunk for `f x y`. */
export function lazyApply2(state: EvalState, f: Value, x: Value, y: Value, pos: Pos | null): Thunk {
  return new Thunk(lazyApply2Code, [state, f, x, y, pos]);
}

const lazyApply1Code: Code = (env) => (env[0] as EvalState).call1(env[1], env[2], env[3]);
const lazyApply2Code: Code = (env) => (env[0] as EvalState).call2(env[1], env[2], env[3], env[4]);
