import { test } from "node:test";
import assert from "node:assert/strict";
import { Evaluator } from "./evaluator.js";
import { nodeEvalIO } from "./fs-io.js";
import { defaultSettings } from "./state.js";
import { printValue } from "./print.js";
import { EvalError } from "./errors.js";
import type { Value } from "./value.js";
import { MemoryStore } from "../store/memory-store.js";
import { STORE_BUILTINS } from "../store/builtins/index.js";

function evaluator(): Evaluator {
  return new Evaluator({ settings: defaultSettings, io: nodeEvalIO({}), store: new MemoryStore(), extraBuiltins: STORE_BUILTINS });
}

/** Evaluates strictly and prints like `nix-instantiate --eval --strict`. */
function run(expr: string): string {
  const ev = evaluator();
  const v = ev.state.forceDeep(ev.evalString(expr, "/tmp"));
  return printValue(v, { style: "instantiate" });
}

function fails(expr: string, message: string | RegExp): void {
  assert.throws(() => run(expr), (e: unknown) => {
    assert.ok(e instanceof EvalError, `expected an EvalError, got ${String(e)}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test("arithmetic and precedence", () => {
  assert.equal(run("1 + 2 * 3"), "7");
  assert.equal(run("-7 / 2"), "-3");
  assert.equal(run("2 - 3 - 4"), "-5");
  assert.equal(run("1.5 + 1"), "2.5");
  assert.equal(run("9223372036854775807"), "9223372036854775807");
  fails("9223372036854775807 + 1", "integer overflow in adding 9223372036854775807 + 1");
  fails("1 / 0", "division by zero");
});

test("let, rec and with scoping", () => {
  assert.equal(run("let a = 1; b = a + 1; in b"), "2");
  assert.equal(run("rec { a = 1; b = a + 1; }"), "{ a = 1; b = 2; }");
  assert.equal(run("let a = 1; in with { a = 2; }; a"), "1");
  assert.equal(run("with { x = 1; }; with { x = 2; }; x"), "2");
  assert.equal(run("let x = 1; in rec { a = x; x = 2; }"), "{ a = 2; x = 2; }");
  assert.equal(run("let true = 1; in true"), "1");
  fails("let x = x; in x", "infinite recursion encountered");
  assert.throws(() => run("if true then 1 else y"), /undefined variable 'y'/);
});

test("functions: formals, defaults, @-patterns", () => {
  assert.equal(run("({ a, b ? a + 1 }: b) { a = 1; }"), "2");
  assert.equal(run("(args@{ a ? 1 }: args) {}"), "{ }");
  assert.equal(run("({ a ? b, b ? 2 }: a) {}"), "2");
  fails("({ a }: a) {}", "function 'anonymous lambda' called without required argument 'a'");
  fails("let f = { a }: a; in f { a = 1; b = 2; }", "function 'f' called with unexpected argument 'b'");
  assert.equal(run("let s = { __functor = self: x: x + self.n; n = 10; }; in s 5"), "15");
});

test("lets of one or two bindings (object frames): self and forward references, closures, with", () => {
  assert.equal(run("let x = [ 1 x ]; in builtins.length (builtins.elemAt x 1)"), "2");
  assert.equal(run("let a = b; b = 2; in a + b"), "4");
  assert.equal(run("let f = n: let m = n * 2; in m + n; in f 3"), "9");
  assert.equal(run("let mk = n: let v = n; w = v + 1; in x: v + w + x; in mk 1 10"), "13");
  assert.equal(run("let x = 1; in let y = x + 1; z = y * 2; in with { q = z; }; q + x + y"), "7");
  assert.equal(run("let a = 1; in let b = a; in let c = b; in rec { d = c; e = d; }"), "{ d = 1; e = 1; }");
  assert.equal(run("let f = x: let y = x; in y; in builtins.map f [ 1 2 ]"), "[ 1 2 ]");
  fails("let a = b; b = a; in a", "infinite recursion encountered");
  // Recursion through a let frame counts towards max-call-depth like any other.
  const shallow = new Evaluator({ settings: { ...defaultSettings, maxCallDepth: 500 }, io: nodeEvalIO({}), store: new MemoryStore() });
  const deep = (n: number): Value => shallow.state.forceDeep(shallow.evalString(`let f = n: let m = n - 1; in if n == 0 then 0 else 1 + f m; in f ${n}`, "/tmp"));
  assert.equal(deep(499), 499);
  assert.throws(() => deep(500), (e: unknown) => e instanceof EvalError && e.message === "stack overflow; max-call-depth exceeded");
});

test("inherit and inherit-from", () => {
  assert.equal(run("let x = 1; in { inherit x; }"), "{ x = 1; }");
  assert.equal(run("let s = { a = 1; b = 2; }; in { inherit (s) a b; }"), "{ a = 1; b = 2; }");
  assert.equal(run("let inherit ({ a = 3; }) a; in a"), "3");
  assert.equal(run("rec { s = { y = 4; }; inherit (s) y; }.y"), "4");
});

test("strings, interpolation and paths", () => {
  assert.equal(run('"a${"b"}c"'), '"abc"');
  assert.equal(run('let x = "y"; in "${x}${x}"'), '"yy"');
  fails('"${1}"', "cannot coerce an integer to a string: 1");
  assert.equal(run("./a + \"/b\""), "/tmp/a/b");
  assert.equal(run('"x" + "y"'), '"xy"');
});

test("laziness: unused errors are never raised", () => {
  assert.equal(run("let x = throw \"no\"; in 1"), "1");
  assert.equal(run("builtins.length [ (throw \"a\") (throw \"b\") ]"), "2");
  assert.equal(run("(x: 1) (throw \"no\")"), "1");
});

test("select with or, hasAttr", () => {
  assert.equal(run("{ a.b = 1; }.a.b"), "1");
  assert.equal(run("{ }.a.b or 5"), "5");
  assert.equal(run("{ a = 1; } ? a"), "true");
  assert.equal(run("1 ? a"), "false");
  fails("{ a = 1; }.b", "attribute 'b' missing");
});

test("equality rules", () => {
  assert.equal(run("let f = x: x; in f == f"), "false");
  assert.equal(run("let f = x: x; in [ f ] == [ f ]"), "true");
  assert.equal(run("1 == 1.0"), "true");
  assert.equal(run('{ a = [ 1 "x" ]; } == { a = [ 1 "x" ]; }'), "true");
});

test("assert failures", () => {
  fails("assert 1 == 2; 3", "an integer with value '1' is not equal to an integer with value '2'");
  fails("assert false; 3", "assertion 'false' failed");
});


test("derivations get Nix's store paths", () => {
  // Recorded from nix-instantiate 2.8.
  assert.equal(
    run('(derivation { name = "a"; builder = "/bin/sh"; system = "x86_64-linux"; }).drvPath'),
    '"/nix/store/7g5giqf764p3y3zv7a8rqsy9sqqq5kw4-a.drv"',
  );
  assert.equal(
    run('(derivation { name = "a"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = ["out" "dev"]; }).dev.outPath'),
    '"/nix/store/0pymnpkxynhvm2q42p711hj7rpj8k1aw-a-dev"',
  );
});
