import assert from "node:assert/strict";
import { test } from "node:test";
import { Attrs, NixFloat, Thunk, type Value } from "../value.js";
import { register as arith } from "./arith.js";
import { register as lists } from "./lists.js";
import { register as types } from "./types.js";
import { counted, expectError, fn, fn2, primop, set, testEnv, throwing } from "./test-support.js";

const t = testEnv([lists, arith, types]);
const deep = (v: Value): unknown => {
  v = t.state.forceDeep(v);
  if (Array.isArray(v)) return v.map(deep);
  if (v instanceof Attrs) return Object.fromEntries(v.sortedNames().map((n) => [n, deep(v.get(n)!)]));
  if (v instanceof NixFloat) return { float: v.value };
  return v;
};
const isEven = fn((x) => (x as number) % 2 === 0);
const lt = fn2((a, b) => t.call("lessThan", a, b));

test("length", () => {
  assert.equal(t.call("length", [1, 2, throwing("lazy")]), 3);
  assert.equal(t.call("length", []), 0);
  expectError(() => t.call("length", 1), "expected a list but found an integer: 1", [
    "while evaluating the first argument passed to builtins.length",
    "while calling the 'length' builtin",
  ]);
  expectError(() => t.call("length", "foo"), 'expected a list but found a string: "foo"');
});

test("head and tail", () => {
  assert.equal(t.call("head", [new Thunk(() => 1, []), throwing("lazy")]), 1);
  const tail = t.call("tail", [1, 2, 3]);
  assert.deepEqual(tail, [2, 3]);
  assert.deepEqual(t.call("tail", [1]), []);
  expectError(() => t.call("head", []), "'builtins.head' called on an empty list", ["while calling the 'head' builtin"]);
  expectError(() => t.call("tail", []), "'builtins.tail' called on an empty list", ["while calling the 'tail' builtin"]);
  expectError(() => t.call("head", 1), "expected a list but found an integer: 1", [
    "while evaluating the first argument passed to 'builtins.head'",
    "while calling the 'head' builtin",
  ]);
  expectError(() => t.call("tail", 1), /expected a list/, [
    "while evaluating the first argument passed to 'builtins.tail'",
    "while calling the 'tail' builtin",
  ]);
});

test("elemAt forces the index first, then the list", () => {
  assert.equal(t.call("elemAt", [1, new Thunk(() => 2, []), 3], 1), 2);
  expectError(() => t.call("elemAt", ["foo"], 3), "'builtins.elemAt' called with index 3 on a list of size 1", [
    "while calling the 'elemAt' builtin",
  ]);
  expectError(() => t.call("elemAt", [], -1), "'builtins.elemAt' called with index -1 on a list of size 0");
  expectError(() => t.call("elemAt", [1], 2n ** 62n), "'builtins.elemAt' called with index 4611686018427387904 on a list of size 1");
  expectError(() => t.call("elemAt", "foo", -1), 'expected a list but found a string: "foo"', [
    "while evaluating the first argument passed to 'builtins.elemAt'",
    "while calling the 'elemAt' builtin",
  ]);
  expectError(() => t.call("elemAt", throwing("list"), throwing("index")), "index");
  expectError(() => t.call("elemAt", [1], "0"), /expected an integer/, [
    "while evaluating the second argument passed to 'builtins.elemAt'",
    "while calling the 'elemAt' builtin",
  ]);
});

test("map builds lazy applications", () => {
  let calls = 0;
  const double = fn((x) => {
    calls++;
    return (t.state.forceDeep(x) as number) * 2;
  });
  const r = t.call("map", double, [1, 2, throwing("lazy")]) as Value[];
  assert.equal(r.length, 3);
  assert.equal(calls, 0);
  assert.equal(t.state.forceDeep(r[1]), 4);
  assert.equal(t.state.forceDeep(r[1]), 4);
  assert.equal(calls, 1);
  expectError(() => t.state.forceDeep(r[2]), "lazy");
  // An empty list is returned without looking at f.
  assert.deepEqual(t.call("map", 1, []), []);
  expectError(() => t.call("map", 1, "foo"), 'expected a list but found a string: "foo"', [
    "while evaluating the second argument passed to builtins.map",
    "while calling the 'map' builtin",
  ]);
  expectError(() => t.call("map", 1, [1]), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.map",
    "while calling the 'map' builtin",
  ]);
  assert.deepEqual(deep(t.call("map", set({ __functor: fn2((_, x) => x) }), [7])), [7]);
});

test("filter keeps elements for which the predicate is true", () => {
  assert.deepEqual(t.call("filter", isEven, [1, 2, 3, 4]), [2, 4]);
  const all = [2, 4];
  assert.equal(t.call("filter", isEven, all), all);
  assert.deepEqual(t.call("filter", 1, []), []);
  expectError(() => t.call("filter", 1, "foo"), /expected a list/, [
    "while evaluating the second argument passed to builtins.filter",
    "while calling the 'filter' builtin",
  ]);
  expectError(() => t.call("filter", 1, ["foo"]), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.filter",
    "while calling the 'filter' builtin",
  ]);
  expectError(() => t.call("filter", fn(() => 5), ["foo"]), "expected a Boolean but found an integer: 5", [
    "while evaluating the return value of the filtering function passed to builtins.filter",
    "while calling the 'filter' builtin",
  ]);
});

test("elem searches with == and stops at the first hit", () => {
  assert.equal(t.call("elem", 2, [1, 2, throwing("not reached")]), true);
  assert.equal(t.call("elem", 2, [1, new NixFloat(2)]), true);
  assert.equal(t.call("elem", "1", [1]), false);
  assert.equal(t.call("elem", [1], [[1]]), true);
  const f = fn((x) => x);
  assert.equal(t.call("elem", f, [f]), true);
  assert.equal(t.call("elem", 1, []), false);
  expectError(() => t.call("elem", 1, "foo"), /expected a list/, [
    "while evaluating the second argument passed to builtins.elem",
    "while calling the 'elem' builtin",
  ]);
  expectError(() => t.call("elem", 3, [1, throwing("boom")]), "boom", ["while calling the 'elem' builtin"]);
});

test("concatLists and concatMap", () => {
  assert.deepEqual(t.call("concatLists", [[1], [], [2, 3]]), [1, 2, 3]);
  assert.deepEqual(t.call("concatLists", []), []);
  const only = [1, 2];
  assert.deepEqual(t.call("concatLists", [[], only, []]), [1, 2]);
  expectError(() => t.call("concatLists", 1), /expected a list/, [
    "while evaluating the first argument passed to builtins.concatLists",
    "while calling the 'concatLists' builtin",
  ]);
  expectError(() => t.call("concatLists", [[1], "foo"]), 'expected a list but found a string: "foo"', [
    "while evaluating a value of the list passed to builtins.concatLists",
    "while calling the 'concatLists' builtin",
  ]);
  const dup = fn((x) => [x, x]);
  assert.deepEqual(t.call("concatMap", dup, [1, 2]), [1, 1, 2, 2]);
  assert.deepEqual(t.call("concatMap", dup, []), []);
  expectError(() => t.call("concatMap", 1, "foo"), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.concatMap",
    "while calling the 'concatMap' builtin",
  ]);
  expectError(() => t.call("concatMap", fn(() => 1), "foo"), /expected a list/, [
    "while evaluating the second argument passed to builtins.concatMap",
    "while calling the 'concatMap' builtin",
  ]);
  expectError(() => t.call("concatMap", fn(() => "foo"), [1, 2]), 'expected a list but found a string: "foo"', [
    "while evaluating the return value of the function passed to builtins.concatMap",
    "while calling the 'concatMap' builtin",
  ]);
  // Each f x is forced eagerly, even if the result is never used.
  expectError(() => t.call("concatMap", fn((x) => (x === 2 ? throwing("eager") : [])), [1, 2]), "eager");
});

test("foldl' folds left and forces every accumulator", () => {
  const add = fn2((a, b) => t.call("add", a, b));
  assert.equal(t.call("foldl'", add, 0, [1, 2, 3]), 6);
  const cons = fn2((acc, x) => [acc, x]);
  assert.deepEqual(deep(t.call("foldl'", cons, "z", ["a", "b"])), [["z", "a"], "b"]);
  // The initial value is only forced for an empty list.
  const nul = counted(() => 5);
  assert.equal(t.call("foldl'", fn2((_, x) => x), nul.thunk, [1]), 1);
  assert.equal(nul.count(), 0);
  assert.equal(t.call("foldl'", add, nul.thunk, []), 5);
  // Intermediate accumulators are forced even when the next step ignores them.
  expectError(() => t.call("foldl'", fn2((_, x) => (x === 1 ? throwing("acc") : x)), 0, [1, 2]), "acc");
  expectError(() => t.call("foldl'", 1, "foo", true), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.foldlStrict",
    "while calling the 'foldl'' builtin",
  ]);
  expectError(() => t.call("foldl'", fn(() => 1), "foo", true), "expected a list but found a Boolean: true", [
    "while evaluating the third argument passed to builtins.foldlStrict",
    "while calling the 'foldl'' builtin",
  ]);
  expectError(
    () => t.call("foldl'", fn(() => 1), "foo", [true]),
    "attempt to call something which is not a function but an integer: 1",
    ["while calling the 'foldl'' builtin"],
  );
});

// Speed is measured in bench/ (foldl.nix); here only that a long list works.
test("foldl' over a million elements", () => {
  const n = 1_000_000;
  const list: Value[] = new Array(n);
  for (let i = 0; i < n; i++) list[i] = i;
  const add = primop(t, "add");
  assert.equal(t.call("foldl'", add, 0, list), (n * (n - 1)) / 2);
  const lambdaAdd = fn2((a, b) => (a as number) + (b as number));
  assert.equal(t.call("foldl'", lambdaAdd, 0, list), (n * (n - 1)) / 2);
});

test("any and all short-circuit left to right", () => {
  assert.equal(t.call("any", isEven, [1, 2, throwing("not reached")]), true);
  assert.equal(t.call("any", isEven, [1, 3]), false);
  assert.equal(t.call("any", isEven, []), false);
  assert.equal(t.call("all", isEven, [2, 3, throwing("not reached")]), false);
  assert.equal(t.call("all", isEven, [2, 4]), true);
  assert.equal(t.call("all", isEven, []), true);
  for (const name of ["any", "all"]) {
    expectError(() => t.call(name, 1, "foo"), "expected a function but found an integer: 1", [
      `while evaluating the first argument passed to builtins.${name}`,
      `while calling the '${name}' builtin`,
    ]);
    expectError(() => t.call(name, fn(() => 1), "foo"), /expected a list/, [
      `while evaluating the second argument passed to builtins.${name}`,
      `while calling the '${name}' builtin`,
    ]);
    expectError(() => t.call(name, fn(() => 1), ["foo"]), "expected a Boolean but found an integer: 1", [
      `while evaluating the return value of the function passed to builtins.${name}`,
      `while calling the '${name}' builtin`,
    ]);
  }
});

test("genList builds lazy f i", () => {
  const sq = fn((i) => (i as number) * (i as number));
  assert.deepEqual(deep(t.call("genList", sq, 5)), [0, 1, 4, 9, 16]);
  assert.deepEqual(t.call("genList", sq, 0), []);
  const r = t.call("genList", fn((i) => (i === 1 ? throwing("lazy") : i)), 3) as Value[];
  assert.equal(r.length, 3);
  expectError(() => t.call("genList", false, -3), "cannot create list of size -3", ["while calling the 'genList' builtin"]);
  expectError(() => t.call("genList", 1, "foo"), 'expected an integer but found a string: "foo"', [
    "while evaluating the second argument passed to builtins.genList",
    "while calling the 'genList' builtin",
  ]);
  expectError(() => t.call("genList", 1, 2), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.genList",
    "while calling the 'genList' builtin",
  ]);
  expectError(() => t.call("genList", 1, 0), "expected a function but found an integer: 1");
});

test("sort is a stable sort with the comparator's order", () => {
  assert.deepEqual(t.call("sort", primop(t, "lessThan"), [483, 249, 526, 147, 42, 77]), [42, 77, 147, 249, 483, 526]);
  assert.deepEqual(t.call("sort", lt, ["b", "a", "B"]), ["B", "a", "b"]);
  const byK = fn2((a, b) => ((a as Attrs).get("k") as number) < ((b as Attrs).get("k") as number));
  const items = [
    set({ k: 1, v: "a" }),
    set({ k: 0, v: "b" }),
    set({ k: 1, v: "c" }),
    set({ k: 0, v: "d" }),
  ];
  assert.deepEqual(
    (t.call("sort", byK, items) as Attrs[]).map((s) => s.get("v")),
    ["b", "d", "a", "c"],
  );
  // A larger stable sort against a reference.
  const n = 5000;
  const pairs: Attrs[] = [];
  for (let i = 0; i < n; i++) pairs.push(set({ k: (i * 7919) % 97, v: i }));
  const sorted = t.call("sort", byK, pairs) as Attrs[];
  const expected = [...pairs].sort((a, b) => (a.get("k") as number) - (b.get("k") as number));
  assert.deepEqual(sorted.map((s) => s.get("v")), expected.map((s) => s.get("v")));
  // The input list is not modified.
  assert.equal(pairs[0].get("v"), 0);
});

test("sort forces elements first, skips the comparator for short lists", () => {
  assert.deepEqual(t.call("sort", 1, []), []);
  assert.deepEqual(t.call("sort", fn2(() => throwing("never called")), [new Thunk(() => 1, [])]), [1]);
  expectError(() => t.call("sort", lt, [2, throwing("forced first"), 1]), "forced first");
  expectError(() => t.call("sort", 1, "foo"), /expected a list/, [
    "while evaluating the second argument passed to builtins.sort",
    "while calling the 'sort' builtin",
  ]);
  expectError(() => t.call("sort", 1, ["foo"]), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.sort",
    "while calling the 'sort' builtin",
  ]);
  expectError(() => t.call("sort", fn(() => 1), ["foo", "bar"]), "attempt to call something which is not a function but an integer: 1", [
    "while calling the 'sort' builtin",
  ]);
  expectError(() => t.call("sort", fn2(() => 1), ["foo", "bar"]), "expected a Boolean but found an integer: 1", [
    "while evaluating the return value of the sorting function passed to builtins.sort",
    "while calling the 'sort' builtin",
  ]);
  expectError(() => t.call("sort", primop(t, "lessThan"), ["foo", set({})]), /cannot compare/, [
    "while evaluating the ordering function passed to builtins.sort",
    "while calling the 'sort' builtin",
  ]);
});

test("sort with an inconsistent comparator still returns a permutation", () => {
  const input = [5, 3, 9, 1, 7, 2, 8, 6, 4, 0, 11, 15, 13, 12, 14, 10];
  const weird = fn2((a, b) => ((a as number) * 7 + (b as number)) % 3 === 0);
  const out = t.call("sort", weird, input) as number[];
  assert.deepEqual([...out].sort((a, b) => a - b), [...input].sort((a, b) => a - b));
});

test("partition splits by the predicate, keeping order", () => {
  const big = fn((x) => (x as number) > 10);
  assert.deepEqual(deep(t.call("partition", big, [1, 23, 9, 3, 42])), { right: [23, 42], wrong: [1, 9, 3] });
  assert.deepEqual(deep(t.call("partition", big, [])), { right: [], wrong: [] });
  expectError(() => t.call("partition", 1, "foo"), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.partition",
    "while calling the 'partition' builtin",
  ]);
  expectError(() => t.call("partition", fn(() => 1), "foo"), /expected a list/, [
    "while evaluating the second argument passed to builtins.partition",
    "while calling the 'partition' builtin",
  ]);
  expectError(() => t.call("partition", fn(() => 1), ["foo"]), "expected a Boolean but found an integer: 1", [
    "while evaluating the return value of the partition function passed to builtins.partition",
    "while calling the 'partition' builtin",
  ]);
});
