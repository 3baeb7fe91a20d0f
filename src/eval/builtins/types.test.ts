import assert from "node:assert/strict";
import { test } from "node:test";
import { EvalError } from "../errors.js";
import { Attrs, NixFloat, NixPath, NixString, PrimOpApp, Thunk, type Value } from "../value.js";
import { register as arith } from "./arith.js";
import { register as lists } from "./lists.js";
import { register as types } from "./types.js";
import { counted, expectError, fn, formalsFn, primop, set, testEnv, testSource, throwing } from "./test-support.js";

const t = testEnv([types, arith, lists]);
const keys = (v: Value) => (v as Value[]).map((e) => (e as Attrs).get("key"));

test("typeOf names every type, primops and partial applications are lambdas", () => {
  const cases: [Value, string][] = [
    [1, "int"],
    [2n ** 60n, "int"],
    [new NixFloat(1.5), "float"],
    [true, "bool"],
    ["s", "string"],
    [new NixString("s", new Set(["/nix/store/aaaa-x"])), "string"],
    [new NixPath("/a"), "path"],
    [null, "null"],
    [set({}), "set"],
    [set({ __functor: fn((x) => x) }), "set"],
    [[], "list"],
    [fn((x) => x), "lambda"],
    [primop(t, "typeOf"), "lambda"],
    [new PrimOpApp(primop(t, "add"), [1]), "lambda"],
  ];
  for (const [v, name] of cases) assert.equal(t.call("typeOf", v), name);
  assert.equal(t.call("typeOf", new Thunk(() => 3, [])), "int");
});

test("type predicates force their argument and answer per type", () => {
  assert.equal(t.call("isNull", null), true);
  assert.equal(t.call("isNull", false), false);
  assert.equal(t.call("isBool", false), true);
  assert.equal(t.call("isInt", 3), true);
  assert.equal(t.call("isInt", -(2n ** 62n)), true);
  assert.equal(t.call("isInt", new NixFloat(3)), false);
  assert.equal(t.call("isFloat", new NixFloat(3)), true);
  assert.equal(t.call("isFloat", 3), false);
  assert.equal(t.call("isString", "x"), true);
  assert.equal(t.call("isString", new NixString("x", new Set(["/nix/store/a"]))), true);
  assert.equal(t.call("isString", new NixPath("/x")), false);
  assert.equal(t.call("isPath", new NixPath("/x")), true);
  assert.equal(t.call("isAttrs", set({ __functor: fn((x) => x) })), true);
  assert.equal(t.call("isList", [1]), true);
  assert.equal(t.call("isFunction", fn((x) => x)), true);
  assert.equal(t.call("isFunction", primop(t, "add")), true);
  assert.equal(t.call("isFunction", set({ __functor: fn((x) => x) })), false);
  const { thunk, count } = counted(() => 1);
  assert.equal(t.call("isInt", thunk), true);
  assert.equal(count(), 1);
  expectError(() => t.call("isNull", throwing("boom")), "boom");
});

test("seq forces the first argument shallowly and returns the second", () => {
  const a = counted(() => [throwing("deep")]);
  assert.equal(t.call("seq", a.thunk, 2), 2);
  assert.equal(a.count(), 1);
  expectError(() => t.call("seq", throwing("first"), 2), "first");
  expectError(() => t.call("seq", 1, throwing("second")), "second");
});

test("deepSeq forces lists and attribute values recursively, cycles included", () => {
  expectError(() => t.call("deepSeq", [1, [throwing("nested")]], 2), "nested");
  expectError(() => t.call("deepSeq", set({ a: set({ b: throwing("in set") }) }), 2), "in set");
  const map = new Map<string, Value>();
  const cyclic = new Attrs(map);
  map.set("self", cyclic);
  map.set("x", new Thunk(() => 1, []));
  assert.equal(t.call("deepSeq", cyclic, "ok"), "ok");
});

test("throw raises a catchable error whose message is the coerced string", () => {
  const e = expectError(() => t.call("throw", "oh no"), "oh no", ["while calling the 'throw' builtin"]);
  assert.equal(e.kind, "throw");
  assert.equal(e.catchable, true);
  expectError(() => t.call("throw", set({ __toString: fn(() => "from toString") })), "from toString");
  expectError(() => t.call("throw", set({ outPath: "/out" })), "/out");
  expectError(() => t.call("throw", 1), "cannot coerce an integer to a string: 1", [
    "while evaluating the error message passed to builtin.throw",
    "while calling the 'throw' builtin",
  ]);
});

test("abort raises an uncatchable error quoting the message", () => {
  const e = expectError(() => t.call("abort", "stop"), "evaluation aborted with the following error message: 'stop'");
  assert.equal(e.kind, "abort");
  assert.equal(e.catchable, false);
  expectError(() => t.call("abort", [1]), "cannot coerce a list to a string: [ 1 ]", [
    "while evaluating the error message passed to builtins.abort",
    "while calling the 'abort' builtin",
  ]);
});

test("tryEval catches throw and assert, nothing else, and is not deep", () => {
  const ok = t.deep("tryEval", 5) as Attrs;
  assert.deepEqual(ok.sortedNames(), ["success", "value"]);
  assert.equal(ok.get("success"), true);
  assert.equal(ok.get("value"), 5);

  for (const kind of ["throw", "assert"] as const) {
    const failed = t.call("tryEval", throwing("x", kind)) as Attrs;
    assert.equal(failed.get("success"), false);
    assert.equal(failed.get("value"), false);
  }
  expectError(() => t.call("tryEval", throwing("x", "abort")), "x");
  expectError(() => t.call("tryEval", throwing("type error", "eval")), "type error");
  const loop: Thunk = new Thunk(() => loop.force(), []);
  expectError(() => t.call("tryEval", loop), "infinite recursion encountered");
  // Errors from builtins called inside are catchable when they are `throw`s.
  const viaThrow = t.call("tryEval", new Thunk(() => t.call("throw", "inner"), [])) as Attrs;
  assert.equal(viaThrow.get("success"), false);
  const shallow = t.call("tryEval", set({ a: throwing("lazy") })) as Attrs;
  assert.equal(shallow.get("success"), true);
});

test("addErrorContext adds its message as a trace line only when the value fails", () => {
  const msg = counted(() => "context message");
  assert.equal(t.call("addErrorContext", msg.thunk, 7), 7);
  assert.equal(msg.count(), 0);
  const e = expectError(() => t.call("addErrorContext", "while doing X", throwing("inner")), "inner", [
    "while doing X",
  ]);
  assert.equal(e.kind, "throw");
  assert.equal(e.trace[0].detailed, false);
  // Paths in the message are not copied to the store.
  expectError(() => t.call("addErrorContext", new NixPath("/some/where"), throwing("inner")), "inner", [
    "/some/where",
  ]);
});

test("trace prints strings raw and other values unforced, then returns the second argument", () => {
  const e = testEnv([types]);
  assert.equal(e.call("trace", "hello \"x\"", 1), 1);
  assert.equal(e.call("trace", 42, "r"), "r");
  assert.equal(e.call("trace", set({ a: new Thunk(() => 1, []), b: [1, "s"] }), null), null);
  assert.deepEqual(e.stderr, ['trace: hello "x"', "trace: 42", 'trace: { a = \xc2\xabthunk\xc2\xbb; b = [ 1 "s" ]; }']);
  expectError(() => e.call("trace", throwing("first"), 1), "first");
});

test("traceVerbose prints only with trace-verbose", () => {
  const quiet = testEnv([types]);
  assert.equal(quiet.call("traceVerbose", "msg", 3), 3);
  assert.deepEqual(quiet.stderr, []);
  const loud = testEnv([types], { traceVerbose: true });
  assert.equal(loud.call("traceVerbose", "msg", 3), 3);
  assert.deepEqual(loud.stderr, ["trace: msg"]);
});

test("warn prints an evaluation warning; abort-on-warn turns it into an uncatchable error", () => {
  const e = testEnv([types]);
  assert.equal(e.call("warn", "careful", 9), 9);
  assert.deepEqual(e.stderr, ["evaluation warning: careful"]);
  expectError(() => e.call("warn", 1, 9), "expected a string but found an integer: 1", [
    "while evaluating the first argument; the message passed to builtins.warn",
    "while calling the 'warn' builtin",
  ]);
  const strict = testEnv([types], { abortOnWarn: true });
  const err = expectError(
    () => strict.call("warn", "careful", 9),
    "aborting to reveal stack trace of warning, as abort-on-warn is set",
  );
  assert.equal(err.catchable, false);
  assert.deepEqual(strict.stderr, ["evaluation warning: careful"]);
});

test("break is the identity outside the debugger", () => {
  assert.equal(t.call("break", new Thunk(() => 4, [])), 4);
});

test("functionArgs reports formals and whether they have defaults", () => {
  const f = formalsFn([
    ["a", false],
    ["b", true],
  ]);
  const r = t.call("functionArgs", f) as Attrs;
  assert.deepEqual(r.sortedNames(), ["a", "b"]);
  assert.equal(r.get("a"), false);
  assert.equal(r.get("b"), true);
  assert.equal((t.call("functionArgs", formalsFn([], true)) as Attrs).size, 0);
  assert.equal((t.call("functionArgs", fn((x) => x)) as Attrs).size, 0);
  assert.equal((t.call("functionArgs", primop(t, "add")) as Attrs).size, 0);
  assert.equal((t.call("functionArgs", new PrimOpApp(primop(t, "add"), [1])) as Attrs).size, 0);
  expectError(() => t.call("functionArgs", set({ __functor: fn((x) => x) })), "'functionArgs' requires a function", [
    "while calling the 'functionArgs' builtin",
  ]);
  expectError(() => t.call("functionArgs", 1), "'functionArgs' requires a function");
});

test("functionArgs records where each formal was written", () => {
  const src = { origin: "file" as const, path: "/f.nix", text: "{ x, y ? 1 }: x", baseDir: "/" };
  const f = formalsFn(
    [
      ["x", false, 2],
      ["y", true, 5],
    ],
    false,
    src,
  );
  const r = t.call("functionArgs", f) as Attrs;
  assert.equal(r.positions?.source, src);
  assert.equal(r.positions?.offsets.get("y"), 5);
  assert.equal((t.call("functionArgs", formalsFn([["x", false]])) as Attrs).positions, null);
  void testSource;
});

test("getEnv reads the environment, except in pure mode", () => {
  const e = testEnv([types], {}, { HOME: "/home/me" });
  assert.equal(e.call("getEnv", "HOME"), "/home/me");
  assert.equal(e.call("getEnv", "NOPE"), "");
  const pure = testEnv([types], { pure: true }, { HOME: "/home/me" });
  assert.equal(pure.call("getEnv", "HOME"), "");
  expectError(() => e.call("getEnv", []), "expected a string but found a list: [ ]", [
    "while evaluating the first argument passed to builtins.getEnv",
    "while calling the 'getEnv' builtin",
  ]);
  expectError(
    () => e.call("getEnv", new NixString("HOME", new Set(["/nix/store/aaaa-x"]))),
    "the string 'HOME' is not allowed to refer to a store path (such as '/nix/store/aaaa-x')",
  );
});

test("genericClosure walks the relation in discovery order", () => {
  const collatz = fn((item) => {
    const k = (item as Attrs).get("key") as number;
    return [set({ key: k % 2 === 0 ? k / 2 : 3 * k + 1 })];
  });
  const r = t.deep("genericClosure", set({ startSet: [set({ key: 5 })], operator: collatz }));
  assert.deepEqual(keys(r), [5, 16, 8, 4, 2, 1]);
});

test("genericClosure keeps the first element per key, with 1 and 1.0 the same key", () => {
  const none = fn(() => []);
  const mixed = t.deep(
    "genericClosure",
    set({
      startSet: [set({ key: 1, n: "a" }), set({ key: new NixFloat(1), n: "b" }), set({ key: new NixFloat(2) }), set({ key: 2 })],
      operator: none,
    }),
  );
  assert.equal((mixed as Value[]).length, 2);
  assert.equal(keys(mixed)[0], 1);
  assert.equal((keys(mixed)[1] as NixFloat).value, 2);
  assert.equal((mixed as Attrs[])[0].get("n"), "a");
  const strs = t.deep(
    "genericClosure",
    set({ startSet: [set({ key: "a" }), set({ key: new NixString("a", new Set(["/nix/store/x"])) }), set({ key: "b" })], operator: none }),
  );
  assert.deepEqual(keys(strs), ["a", "b"]);
  const lists = t.deep(
    "genericClosure",
    set({ startSet: [set({ key: [1, 2] }), set({ key: [1, 2] }), set({ key: [1] })], operator: none }),
  );
  assert.equal((lists as Value[]).length, 2);
  const big = t.deep("genericClosure", set({ startSet: [set({ key: 2n ** 60n }), set({ key: 2n ** 60n }), set({ key: 1 })], operator: none }));
  assert.equal((big as Value[]).length, 2);
  const single = t.deep("genericClosure", set({ startSet: [set({ key: true })], operator: none }));
  assert.equal((single as Value[]).length, 1);
});

test("genericClosure with an empty start set does not look at the operator", () => {
  assert.deepEqual(t.call("genericClosure", set({ startSet: [] })), []);
});

test("genericClosure errors", () => {
  const none = fn(() => []);
  expectError(() => t.call("genericClosure", 1), "expected a set but found an integer: 1", [
    "while evaluating the first argument passed to builtins.genericClosure",
    "while calling the 'genericClosure' builtin",
  ]);
  expectError(() => t.call("genericClosure", set({ operator: none })), "attribute 'startSet' missing", [
    "in the attrset passed as argument to builtins.genericClosure",
    "while calling the 'genericClosure' builtin",
  ]);
  expectError(() => t.call("genericClosure", set({ startSet: [set({ key: 1 })] })), "attribute 'operator' missing");
  expectError(
    () => t.call("genericClosure", set({ startSet: [set({ key: 1 })], operator: 3 })),
    "expected a function but found an integer: 3",
    [
      "while evaluating the 'operator' attribute passed as argument to builtins.genericClosure",
      "while calling the 'genericClosure' builtin",
    ],
  );
  expectError(() => t.call("genericClosure", set({ startSet: [set({ k: 1 })], operator: none })), "attribute 'key' missing", [
    "in genericClosure element { k = 1; }",
    "while calling the 'genericClosure' builtin",
  ]);
  expectError(
    () => t.call("genericClosure", set({ startSet: [set({ key: 1 }), set({ key: "a" })], operator: none })),
    'cannot compare a string with an integer; values are "a" and 1',
    [
      "with element { key = 1; }",
      'while comparing element { key = "a"; }',
      "while calling the 'genericClosure' builtin",
    ],
  );
  expectError(
    () => t.call("genericClosure", set({ startSet: [set({ key: true }), set({ key: false })], operator: none })),
    "cannot compare a Boolean with a Boolean; values of that type are incomparable (values are false and true)",
  );
  expectError(
    () => t.call("genericClosure", set({ startSet: [set({ key: 1 })], operator: fn(() => 5) })),
    "expected a list but found an integer: 5",
    [
      "while evaluating the return value of the `operator` passed to builtins.genericClosure",
      "while calling operator on genericClosure element { key = 1; }",
      "while calling the 'genericClosure' builtin",
    ],
  );
  // A thrown error inside the closure stays catchable.
  const e = expectError(
    () => t.call("genericClosure", set({ startSet: [set({ key: 1 })], operator: fn(() => [throwing("op")]) })),
    "op",
  );
  assert.ok(e instanceof EvalError && e.catchable);
});
