import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "../lang/parser.js";
import type { Expr } from "../lang/ast.js";
import { Evaluator } from "./evaluator.js";
import { EvalError } from "./errors.js";
import { nodeEvalIO } from "./fs-io.js";
import { printValue } from "./print.js";
import { Scope } from "./scope.js";
import { defaultSettings } from "./state.js";
import { forcedFirst, isVar } from "./strictness.js";
import { MemoryStore } from "../store/memory-store.js";

const builtinScope = new Scope(null, new Map([["__sub", 1], ["__mul", 2], ["__div", 3], ["__lessThan", 4], ["builtins", 5], ["throw", 6]]));
const isBuiltin = (name: string, scope: Scope): boolean => scope.resolve(name)?.scope === builtinScope;

/** For `x: body` (or `x: y: body`): whether the body forces x first / y first / x then y. */
function strictness(text: string): { own: boolean; outerFirst: boolean; both: boolean } {
  let e: Expr = parse({ origin: "string", path: null, text, baseDir: "/" });
  assert.equal(e.kind, "Lambda");
  let scope = new Scope(builtinScope, new Map([[(e as { arg: string }).arg, 1]]), true);
  let outer: Scope | null = null;
  while (e.kind === "Lambda" && e.body.kind === "Lambda") {
    e = e.body;
    outer = scope;
    scope = new Scope(scope, new Map([[(e as { arg: string }).arg, 1]]), true);
  }
  const forced = forcedFirst((e as { body: Expr }).body, scope, isBuiltin);
  const outerFirst = outer !== null && isVar(forced[0], outer, 1);
  return { own: isVar(forced[0], scope, 1), outerFirst, both: outerFirst && isVar(forced[1], scope, 1) };
}

test("strictness: bodies that force their argument before anything else", () => {
  assert.equal(strictness("n: if n < 2 then n else 0").own, true);
  assert.equal(strictness("n: if n == 0 then 0 else 1").own, true);
  assert.equal(strictness("n: n - 1").own, true);
  assert.equal(strictness("n: n").own, true);
  assert.equal(strictness("n: n.a").own, true);
  assert.equal(strictness("n: n ? a").own, true);
  assert.equal(strictness("n: !n").own, true);
  assert.equal(strictness("n: { } // n").own, true);
  assert.equal(strictness("n: n + 1").own, true);
  assert.equal(strictness("n: let y = 1; in if n == y then 1 else 2").own, true);
  assert.equal(strictness("n: 1 + n").own, false, "a constant first, then `+`'s type check");
  assert.equal(strictness("n: 0 - n").own, true, "both operands of `-` are forced before anything can fail");
  assert.equal(strictness("n: if 0 == n then 1 else 2").own, true);
});

test("strictness: `*` and `/` give errors while forcing their operands their position", () => {
  const at = (text: string): (number | null)[] => {
    const e = parse({ origin: "string", path: null, text, baseDir: "/" }) as Extract<Expr, { kind: "Lambda" }>;
    return forcedFirst(e.body, new Scope(builtinScope, new Map([[e.arg!, 1]]), true), isBuiltin).map((v) => v.errorAt);
  };
  assert.deepEqual(at("n: n * 2"), [5]);
  assert.deepEqual(at("n: 2 / n"), [5]);
  assert.deepEqual(at("n: (n / 2) * 3"), [6], "the innermost operator's");
  assert.deepEqual(at("n: if n - 1 == 0 then 1 else 2"), [null]);
});

test("strictness: bodies that may do something else first", () => {
  assert.equal(strictness("n: builtins.trace \"x\" n").own, false, "a call");
  assert.equal(strictness("n: if n == builtins.trace \"x\" 0 then 1 else 2").own, false, "the right operand runs first");
  assert.equal(strictness("n: { a = n; }").own, false);
  assert.equal(strictness("n: [ n ]").own, false);
  assert.equal(strictness("n: m: n").own, false);
  assert.equal(strictness("n: with n; a").own, false);
  assert.equal(strictness("n: let n = 1; in n").own, false, "a shadowing let");
  assert.equal(strictness("n: n // { }").own, false, "`//` forces its right operand first");
  assert.equal(strictness("n: throw n").own, false);
});

test("strictness: curried lambdas", () => {
  assert.deepEqual(strictness("a: b: if a < b then a else b"), { own: false, outerFirst: true, both: true });
  assert.deepEqual(strictness("a: b: if b < a then a else b"), { own: true, outerFirst: false, both: false });
  assert.deepEqual(strictness("a: b: a - (a / b) * b"), { own: false, outerFirst: true, both: true });
  assert.deepEqual(strictness("a: b: if a then b else 0"), { own: false, outerFirst: true, both: false });
});

// A lower call-depth limit than Nix's, so that reaching it fits the test runner's JS stack.
const settings = { ...defaultSettings, maxCallDepth: 1000 };

function evaluate(text: string, strict = true): { out: string; traces: string[] } {
  const traces: string[] = [];
  const ev = new Evaluator({ settings, io: nodeEvalIO({}, (l) => traces.push(l)), store: new MemoryStore() });
  let v = ev.evalString(text, "/tmp");
  v = strict ? ev.state.forceDeep(v) : ev.force(v);
  return { out: printValue(v, { style: "instantiate" }), traces };
}

function failure(text: string): { message: string; pos: string | null; traces: string[] } {
  const traces: string[] = [];
  const ev = new Evaluator({ settings, io: nodeEvalIO({}, (l) => traces.push(l)), store: new MemoryStore() });
  try {
    ev.state.forceDeep(ev.evalString(text, "/tmp"));
  } catch (e) {
    assert.ok(e instanceof EvalError, String(e));
    return { message: e.message, pos: e.pos === null ? null : ev.state.formatPos(e.pos), traces };
  }
  assert.fail(`expected ${text} to fail`);
}

// Arguments evaluated at the call site must be indistinguishable from thunks forced by the body.
test("call arguments evaluated up front: effects keep Nix's order", () => {
  const f = "f = n: if n == 0 then \"zero\" else \"other\";";
  assert.deepEqual(evaluate(`let ${f} in (builtins.trace "fn" f) (builtins.trace "arg" 1 - 1)`), { out: '"zero"', traces: ["trace: fn", "trace: arg"] });
  assert.deepEqual(evaluate('let f = n: builtins.trace "body" (n + 1); in f (builtins.trace "arg" 1 - 1)').traces, ["trace: body", "trace: arg"]);
  assert.deepEqual(evaluate('let f = n: if n == builtins.trace "rhs" 0 then 1 else 2; in f (builtins.trace "arg" 1 - 1)').traces, ["trace: rhs", "trace: arg"]);
  const g = (body: string): string[] => evaluate(`let f = a: b: ${body}; in f (builtins.trace "x" 5 - 1) (builtins.trace "y" 2 - 1)`).traces;
  assert.deepEqual(g("if a < b then a - b else b - a"), ["trace: x", "trace: y"]);
  assert.deepEqual(g("if b < a then a - b else b - a"), ["trace: y", "trace: x"]);
  assert.deepEqual(g("b - a"), ["trace: y", "trace: x"]);
  assert.deepEqual(g("if a < 0 then 0 else 1"), ["trace: x"]);
});

test("call arguments evaluated up front: errors, recursion and printing are unchanged", () => {
  assert.equal(failure("let x = f (x - 1); f = n: if n == 0 then 0 else 1; in x").message, "infinite recursion encountered");
  assert.equal(failure("let f = n: if n == 0 then 0 else 1; x = { a = f (x.a - 1); }; in x.a").message, "infinite recursion encountered");
  const overflow = failure("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 1000");
  assert.equal(overflow.message, "stack overflow; max-call-depth exceeded");
  assert.equal(evaluate("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 999").out, "999");
  assert.equal(failure("let f = n: if n == 0 then throw \"bottom\" else f (n - 1); in f 1000").message, "stack overflow; max-call-depth exceeded");
  const add = failure('let f = n: if n < 2 then n else 0; in f (1 + "a")');
  assert.equal(add.message, "cannot add a string to an integer");
  assert.match(add.pos ?? "", /:1:44$/, "the position of `+`");
  assert.equal(failure("let f = n: if n < 2 then n else 0; in f ({ a = 1; }.b)").message, "attribute 'b' missing");
  // Errors without a position get the one of the `*` or `/` that would have forced the thunk.
  const rec = failure("let x = f (x - 1); f = n: n * 2; in x");
  assert.equal(rec.message, "infinite recursion encountered");
  assert.match(rec.pos ?? "", /:1:29$/, "the position of `*`");
  const mod = failure("let x = m (x + 1) 3; m = a: b: a - (a / b) * b; in x");
  assert.match(mod.pos ?? "", /:1:39$/, "the position of `/`");
  assert.equal(evaluate('builtins.tryEval (let f = n: if n == 0 then 0 else 1; in f (throw "boom" - 1))').out, "{ success = false; value = false; }");
  // Not strict: what the body stores is printed as Nix would, evaluated or not.
  const p = "let f = n: if n < 2 then n else f (n - 1) + f (n - 2); p = f (3 - 1); in builtins.seq p { inherit p; q = f (4 - 1); }";
  assert.equal(evaluate(p, false).out, "{ p = 1; q = <CODE>; }");
  assert.equal(evaluate("let f = n: if n == 0 then { inherit n; } else { m = n; }; in f (1 - 1)", false).out, "{ n = 0; }");
});

test("curried lambdas share one frame for both arguments, however they are called", () => {
  const defs = "f = a: b: [ a b ]; g = a: a: a; h = a: b: c: a + b * c; m = a: b: let c = a + b; in d: [ a b c d ]; k = x: y: with { z = 3; }; x + y + z;";
  assert.equal(evaluate(`let ${defs} p = f 1; in [ (f 1 2) (p 5) (p 6) (g 1 2) (h 1 2 3) ((h 1) 2 3) ((h 1 2) 3) (m 1 2 3) ((m 1) 2 4) (k 1 2) ]`).out,
    "[ [ 1 2 ] [ 1 5 ] [ 1 6 ] 2 7 7 7 [ 1 2 3 3 ] [ 1 2 3 4 ] 6 ]");
  assert.equal(evaluate("builtins.foldl' (acc: x: acc + x) 0 [ 1 2 3 ]").out, "6");
  assert.equal(evaluate("builtins.foldl' ((f: acc: x: acc + f x) (y: y * 2)) 0 [ 1 2 3 ]").out, "12");
  assert.equal(evaluate("let g = (f: acc: x: acc + f x) (y: y * 2); in [ (g 1 2) ((g 1) 2) (builtins.foldl' g 0 [ 1 ]) ]").out, "[ 5 5 2 ]");
  assert.equal(evaluate("let f = a: b: c: d: a + b + c + d; in [ (f 1 2 3 4) ((f 1) 2 3 4) ((f 1 2) 3 4) ((f 1 2 3) 4) ]").out, "[ 10 10 10 10 ]");
});
