// Which variables a lambda body forces before it does anything else observable.
//
// When the very first thing a call does is force its argument, evaluating the argument at the
// call site instead of wrapping it in a thunk is indistinguishable from Nix's lazy semantics:
// the same effects (errors, traces, infinite recursion) happen in the same order, and the value
// is evaluated by the time anything could print it. This analysis finds those bodies. It follows
// the order in which the compiled code (compiler.ts) forces values, and stops at the first thing
// it cannot vouch for: a call, a type check that may fail, a `with` lookup. `*` and `/` give
// errors raised while they force their operands their own position: a forced variable records
// that position, which the call site then gives errors of the argument it evaluates.
import type { Expr } from "../lang/ast.js";
import { Scope } from "./scope.js";

/** A variable: the scope that binds it and its slot there. */
export interface ForcedVar {
  readonly scope: Scope;
  readonly slot: number;
  /** Offset of the operator whose position errors raised while forcing it get, if any. */
  readonly errorAt: number | null;
}

/** What running compiled code returns, as far as forcing it goes. */
type Result = "value" | "unknown" | ForcedVar;

/** The variables forced so far, whether nothing else happened, and what the code returned. */
interface Effects {
  readonly forced: ForcedVar[];
  /** False once anything but forcing `forced` may have happened: the list ends there. */
  total: boolean;
  result: Result;
  /** Offset of the innermost `*` or `/` being evaluated (errors without a position get it). */
  errorAt: number | null;
}

const OPERATORS = new Set(["__sub", "__lessThan", "__mul", "__div"]);

/** Whether `name` in `scope` is the global builtin (desugared operators check this). */
export type IsBuiltin = (name: string, scope: Scope) => boolean;

/**
 * The variables that evaluating `body` (compiled in `scope`) to a value forces first, in order,
 * before any other observable effect. Forcing a variable may itself have any effect; what matters
 * is that nothing of the body's own happens before.
 */
export function forcedFirst(body: Expr, scope: Scope, isBuiltin: IsBuiltin): ForcedVar[] {
  const fx: Effects = { forced: [], total: true, result: "value", errorAt: null };
  strict(body, scope, isBuiltin, fx);
  return fx.forced;
}

/** Whether `v` is slot `slot` of `scope`. */
export function isVar(v: ForcedVar | undefined, scope: Scope, slot: number): boolean {
  return v !== undefined && v.scope === scope && v.slot === slot;
}

/** Effects of running `e`'s code and then forcing its result. */
function strict(e: Expr, scope: Scope, isBuiltin: IsBuiltin, fx: Effects): void {
  code(e, scope, isBuiltin, fx);
  forceResult(fx);
}

function forceResult(fx: Effects): void {
  if (!fx.total) return;
  const r = fx.result;
  if (r === "unknown") fx.total = false;
  else if (r !== "value") fx.forced.push({ scope: r.scope, slot: r.slot, errorAt: fx.errorAt });
  fx.result = "value";
}

/** Both operands' code, then both results forced, left first; nothing is known after that. */
function forceBoth(lhs: Expr, rhs: Expr, scope: Scope, isBuiltin: IsBuiltin, fx: Effects): void {
  code(lhs, scope, isBuiltin, fx);
  const left = fx.result;
  code(rhs, scope, isBuiltin, fx);
  const right = fx.result;
  fx.result = left;
  forceResult(fx);
  fx.result = right;
  forceResult(fx);
  stop(fx);
}

function stop(fx: Effects): void {
  fx.total = false;
  fx.result = "unknown";
}

/** Effects of running `e`'s compiled code (which may return an unforced value). */
function code(e: Expr, scope: Scope, isBuiltin: IsBuiltin, fx: Effects): void {
  if (!fx.total) return;
  switch (e.kind) {
    case "Int":
    case "Float":
    case "String":
    case "Path":
    case "Lambda":
    case "List":
      // Constants, closures and lists of thunks: built without forcing anything.
      fx.result = "value";
      return;
    case "Var": {
      const r = scope.resolve(e.name);
      // A `with` lookup forces the `with` set.
      if (r === null) stop(fx);
      else fx.result = { scope: r.scope, slot: r.slot, errorAt: null };
      return;
    }
    case "If":
    case "Assert":
      // The condition, then a type check.
      strict(e.cond, scope, isBuiltin, fx);
      stop(fx);
      return;
    case "Not":
    case "Select":
    case "HasAttr":
      // The operand (`!`'s, or the set) is forced first; then its type check, or names, lookups
      // and their errors.
      strict(e.expr, scope, isBuiltin, fx);
      stop(fx);
      return;
    case "Let": {
      // The bindings only make thunks; the body runs in the let's scope.
      const names = new Map<string, number>();
      e.attrs.forEach((a, i) => names.set(a.name, i + 1));
      code(e.body, new Scope(scope, names), isBuiltin, fx);
      return;
    }
    case "BinOp":
      switch (e.op) {
        case "==":
        case "!=": {
          // Both operands' code, then both results forced, left first (valuesEqual).
          forceBoth(e.lhs, e.rhs, scope, isBuiltin, fx);
          return;
        }
        case "//":
          // The right operand is evaluated first.
          strict(e.rhs, scope, isBuiltin, fx);
          stop(fx);
          return;
        default:
          // `+` evaluates its right operand inside an error handler when the left is not an int.
          strict(e.lhs, scope, isBuiltin, fx);
          stop(fx);
          return;
      }
    case "Call": {
      const fn = e.fn;
      if (fn.kind === "Var" && e.args.length === 2 && isBuiltin(fn.name, scope) && OPERATORS.has(fn.name)) {
        // Both operands' code, then both forced in order; errors after that get the position.
        // `*` and `/` do all of it inside a handler giving errors their position.
        if (fn.name === "__mul" || fn.name === "__div") fx.errorAt = e.pos;
        forceBoth(e.args[0], e.args[1], scope, isBuiltin, fx);
        return;
      }
      // The function is evaluated first; the arguments become thunks; then the call.
      strict(fn, scope, isBuiltin, fx);
      stop(fx);
      return;
    }
    default:
      stop(fx);
  }
}
