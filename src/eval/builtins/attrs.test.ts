import assert from "node:assert/strict";
import { test } from "node:test";
import type { Source } from "../../lang/ast.js";
import { Attrs, NixString, Thunk, type Value } from "../value.js";
import { register as attrs } from "./attrs.js";
import { register as lists } from "./lists.js";
import { register as types } from "./types.js";
import { expectError, fn, fn2, set, testEnv, throwing } from "./test-support.js";

const t = testEnv([attrs, lists, types]);
const withCtx = (s: string) => new NixString(s, new Set(["/nix/store/aaaa-x"]));
const nv = (name: Value, value: Value) => set({ name, value });
const names = (v: Value) => (v as Attrs).sortedNames();
const deep = (v: Value): unknown => {
  v = t.state.forceDeep(v);
  if (Array.isArray(v)) return v.map(deep);
  if (v instanceof Attrs) return Object.fromEntries(v.sortedNames().map((n) => [n, deep(v.get(n)!)]));
  return v;
};

test("attrNames sorts names byte-wise", () => {
  const s = set({ b: 1, a: 2, B: 3, _: 4, "1": 5, "\xc3\xa9": 6, "": 7 });
  assert.deepEqual(t.call("attrNames", s), ["", "1", "B", "_", "a", "b", "\xc3\xa9"]);
  assert.deepEqual(t.call("attrNames", set({})), []);
  expectError(() => t.call("attrNames", []), "expected a set but found a list: [ ]", [
    "while evaluating the argument passed to builtins.attrNames",
    "while calling the 'attrNames' builtin",
  ]);
});

test("attrValues follows attrNames order and leaves values lazy", () => {
  const lazy = throwing("lazy");
  const r = t.call("attrValues", set({ b: 1, a: lazy, c: 3 })) as Value[];
  assert.equal(r.length, 3);
  assert.equal(r[0], lazy);
  assert.deepEqual(r.slice(1), [1, 3]);
  expectError(() => t.call("attrValues", 1), "expected a set but found an integer: 1", [
    "while evaluating the argument passed to builtins.attrValues",
    "while calling the 'attrValues' builtin",
  ]);
});

test("getAttr selects and forces an attribute", () => {
  assert.equal(t.call("getAttr", "a", set({ a: new Thunk(() => 5, []) })), 5);
  expectError(() => t.call("getAttr", "foo", set({})), "attribute 'foo' missing", [
    "in the attribute set under consideration",
    "while calling the 'getAttr' builtin",
  ]);
  expectError(() => t.call("getAttr", [], []), "expected a string but found a list: [ ]", [
    "while evaluating the first argument passed to builtins.getAttr",
    "while calling the 'getAttr' builtin",
  ]);
  expectError(() => t.call("getAttr", "foo", []), "expected a set but found a list: [ ]", [
    "while evaluating the second argument passed to builtins.getAttr",
    "while calling the 'getAttr' builtin",
  ]);
  expectError(() => t.call("getAttr", withCtx("a"), set({ a: 1 })), /is not allowed to refer to a store path/);
  expectError(() => t.call("getAttr", "a", set({ a: throwing("value") })), "value");
});

test("hasAttr tests membership without forcing the value", () => {
  assert.equal(t.call("hasAttr", "a", set({ a: throwing("no") })), true);
  assert.equal(t.call("hasAttr", "b", set({ a: 1 })), false);
  expectError(() => t.call("hasAttr", [], []), /expected a string/, [
    "while evaluating the first argument passed to builtins.hasAttr",
    "while calling the 'hasAttr' builtin",
  ]);
  expectError(() => t.call("hasAttr", "foo", 1), "expected a set but found an integer: 1", [
    "while evaluating the second argument passed to builtins.hasAttr",
    "while calling the 'hasAttr' builtin",
  ]);
});

test("removeAttrs drops the listed names and ignores absent ones", () => {
  const s = set({ x: 1, y: 2, z: 3 });
  const r = t.call("removeAttrs", s, ["a", "x", "z"]) as Attrs;
  assert.deepEqual(names(r), ["y"]);
  assert.deepEqual(names(s), ["x", "y", "z"]);
  assert.deepEqual(names(t.call("removeAttrs", s, [])), ["x", "y", "z"]);
  expectError(() => t.call("removeAttrs", "", [1]), 'expected a set but found a string: ""', [
    "while evaluating the first argument passed to builtins.removeAttrs",
    "while calling the 'removeAttrs' builtin",
  ]);
  expectError(() => t.call("removeAttrs", s, [1]), "expected a string but found an integer: 1", [
    "while evaluating the values of the second argument passed to builtins.removeAttrs",
    "while calling the 'removeAttrs' builtin",
  ]);
  expectError(() => t.call("removeAttrs", s, "x"), /expected a list/, [
    "while evaluating the second argument passed to builtins.removeAttrs",
    "while calling the 'removeAttrs' builtin",
  ]);
  expectError(() => t.call("removeAttrs", s, [withCtx("x")]), /is not allowed to refer to a store path/);
});

test("listToAttrs: first occurrence wins, later duplicates need no value", () => {
  const r = t.call("listToAttrs", [nv("foo", 123), nv("bar", 456), nv("bar", 420), set({ name: "foo" })]);
  assert.deepEqual(deep(r), { bar: 456, foo: 123 });
  const lazy = throwing("lazy value");
  assert.equal((t.call("listToAttrs", [nv("a", lazy)]) as Attrs).get("a"), lazy);
  assert.deepEqual(names(t.call("listToAttrs", [])), []);
});

test("listToAttrs errors", () => {
  expectError(() => t.call("listToAttrs", 1), "expected a list but found an integer: 1", [
    "while evaluating the argument passed to builtins.listToAttrs",
    "while calling the 'listToAttrs' builtin",
  ]);
  expectError(() => t.call("listToAttrs", [1]), "expected a set but found an integer: 1", [
    "while evaluating an element of the list passed to builtins.listToAttrs",
    "while calling the 'listToAttrs' builtin",
  ]);
  expectError(() => t.call("listToAttrs", [set({})]), "attribute 'name' missing", [
    "in a {name=...; value=...;} pair",
    "while calling the 'listToAttrs' builtin",
  ]);
  expectError(() => t.call("listToAttrs", [set({ name: 1 })]), "expected a string but found an integer: 1", [
    "while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs",
    "while calling the 'listToAttrs' builtin",
  ]);
  expectError(() => t.call("listToAttrs", [set({ name: "foo" })]), "attribute 'value' missing", [
    "in a {name=...; value=...;} pair",
    "while calling the 'listToAttrs' builtin",
  ]);
  // All names are checked before any value is looked up.
  expectError(() => t.call("listToAttrs", [set({ name: "a" }), set({ name: 2, value: 1 })]), /expected a string/);
  expectError(() => t.call("listToAttrs", [nv(withCtx("a"), 1)]), /is not allowed to refer to a store path/);
});

test("listToAttrs keeps the position of each winning value", () => {
  const src: Source = { origin: "file", path: "/x.nix", text: "", baseDir: "/" };
  const el = (name: string, off: number) =>
    new Attrs(
      new Map<string, Value>([
        ["name", name],
        ["value", off],
      ]),
      { source: src, offsets: new Map([["value", off]]) },
    );
  const r = t.call("listToAttrs", [el("a", 10), el("b", 20), el("a", 30)]) as Attrs;
  assert.equal(r.positions?.source, src);
  assert.deepEqual([...r.positions!.offsets], [
    ["a", 10],
    ["b", 20],
  ]);
});

// Speed is measured in bench/ (attrs.nix); here only that a large list works.
test("listToAttrs of 100000 entries", () => {
  const list: Value[] = [];
  for (let i = 0; i < 100000; i++) list.push(nv(`n${i}`, i));
  const r = t.call("listToAttrs", list) as Attrs;
  assert.equal(r.size, 100000);
  assert.equal(r.get("n99999"), 99999);
});

test("intersectAttrs takes names from the first and values from the second", () => {
  const r = t.call("intersectAttrs", set({ a: 1, b: 2, z: 0 }), set({ a: 10, c: 30, z: throwing("lazy") })) as Attrs;
  assert.deepEqual(names(r), ["a", "z"]);
  assert.equal(r.get("a"), 10);
  const r2 = t.call("intersectAttrs", set({ a: 1 }), set({ a: 10, b: 20, c: 30 })) as Attrs;
  assert.deepEqual(names(r2), ["a"]);
  assert.equal(r2.get("a"), 10);
  expectError(() => t.call("intersectAttrs", [], []), /expected a set/, [
    "while evaluating the first argument passed to builtins.intersectAttrs",
    "while calling the 'intersectAttrs' builtin",
  ]);
  expectError(() => t.call("intersectAttrs", set({}), []), /expected a set/, [
    "while evaluating the second argument passed to builtins.intersectAttrs",
    "while calling the 'intersectAttrs' builtin",
  ]);
});

test("catAttrs collects the attribute from the sets that have it", () => {
  assert.deepEqual(t.call("catAttrs", "a", [set({ a: 1 }), set({ b: 0 }), set({ a: 2 })]), [1, 2]);
  assert.deepEqual(t.call("catAttrs", "a", []), []);
  expectError(() => t.call("catAttrs", [], set({})), /expected a string/, [
    "while evaluating the first argument passed to builtins.catAttrs",
    "while calling the 'catAttrs' builtin",
  ]);
  expectError(() => t.call("catAttrs", "foo", set({})), "expected a list but found a set: { }", [
    "while evaluating the second argument passed to builtins.catAttrs",
    "while calling the 'catAttrs' builtin",
  ]);
  expectError(() => t.call("catAttrs", "foo", [set({ foo: 1 }), 1, set({ bar: 5 })]), "expected a set but found an integer: 1", [
    "while evaluating an element in the list passed as second argument to builtins.catAttrs",
    "while calling the 'catAttrs' builtin",
  ]);
});

test("mapAttrs applies f lazily to name and value", () => {
  const r = t.call(
    "mapAttrs",
    fn2((n, v) => `${n as string}=${String(t.state.forceDeep(v))}`),
    set({ a: 1, b: 2, bad: throwing("lazy") }),
  ) as Attrs;
  assert.deepEqual(names(r), ["a", "b", "bad"]);
  assert.equal(t.state.forceDeep(r.get("b")!), "b=2");
  expectError(() => t.state.forceDeep(r.get("bad")!), "lazy");
  // f is not looked at when the set is empty or no value is needed.
  assert.equal((t.call("mapAttrs", 1, set({})) as Attrs).size, 0);
  assert.equal((t.call("mapAttrs", 1, set({ a: 1 })) as Attrs).size, 1);
  expectError(() => t.call("mapAttrs", [], []), "expected a set but found a list: [ ]", [
    "while evaluating the second argument passed to builtins.mapAttrs",
    "while calling the 'mapAttrs' builtin",
  ]);
  expectError(
    () => t.state.forceDeep((t.call("mapAttrs", 1, set({ a: 1 })) as Attrs).get("a")!),
    "attempt to call something which is not a function but an integer: 1",
  );
});

test("zipAttrsWith groups values per name in list order", () => {
  const r = t.call(
    "zipAttrsWith",
    fn2((name, values) => set({ name, values })),
    [set({ a: "x" }), set({ a: "y", b: "z" })],
  );
  assert.deepEqual(deep(r), { a: { name: "a", values: ["x", "y"] }, b: { name: "b", values: ["z"] } });
  assert.deepEqual(names(t.call("zipAttrsWith", fn2(() => 1), [])), []);
  expectError(() => t.call("zipAttrsWith", [], [1]), "expected a function but found a list: [ ]", [
    "while evaluating the first argument passed to builtins.zipAttrsWith",
    "while calling the 'zipAttrsWith' builtin",
  ]);
  expectError(() => t.call("zipAttrsWith", fn(() => 1), [1]), "expected a set but found an integer: 1", [
    "while evaluating a value of the list passed as second argument to builtins.zipAttrsWith",
    "while calling the 'zipAttrsWith' builtin",
  ]);
  expectError(() => t.call("zipAttrsWith", fn(() => 1), 1), /expected a list/, [
    "while evaluating the second argument passed to builtins.zipAttrsWith",
    "while calling the 'zipAttrsWith' builtin",
  ]);
});

test("unsafeGetAttrPos gives the file position of an attribute, or null", () => {
  const src: Source = { origin: "file", path: "/p/x.nix", text: "{\n  a = 1;\n  bb = 2;\n}\n", baseDir: "/p" };
  const s = new Attrs(
    new Map<string, Value>([
      ["a", 1],
      ["bb", 2],
      ["c", 3],
    ]),
    {
      source: src,
      offsets: new Map([
        ["a", 4],
        ["bb", 13],
      ]),
    },
  );
  assert.deepEqual(deep(t.call("unsafeGetAttrPos", "a", s)), { column: 3, file: "/p/x.nix", line: 2 });
  assert.deepEqual(deep(t.call("unsafeGetAttrPos", "bb", s)), { column: 3, file: "/p/x.nix", line: 3 });
  assert.equal(t.call("unsafeGetAttrPos", "c", s), null);
  assert.equal(t.call("unsafeGetAttrPos", "zz", s), null);
  assert.equal(t.call("unsafeGetAttrPos", "a", set({ a: 1 })), null);
  const fromString: Source = { origin: "string", path: null, text: "{ a = 1; }", baseDir: "/" };
  const s2 = new Attrs(new Map<string, Value>([["a", 1]]), { source: fromString, offsets: new Map([["a", 2]]) });
  assert.equal(t.call("unsafeGetAttrPos", "a", s2), null);
  expectError(() => t.call("unsafeGetAttrPos", 1, s), /expected a string/, [
    "while evaluating the first argument passed to builtins.unsafeGetAttrPos",
    "while calling the 'unsafeGetAttrPos' builtin",
  ]);
  expectError(() => t.call("unsafeGetAttrPos", "a", 1), /expected a set/, [
    "while evaluating the second argument passed to builtins.unsafeGetAttrPos",
    "while calling the 'unsafeGetAttrPos' builtin",
  ]);
  // Positions survive removeAttrs and intersectAttrs (from the second set).
  const removed = t.call("removeAttrs", s, ["bb"]);
  assert.deepEqual(deep(t.call("unsafeGetAttrPos", "a", removed)), { column: 3, file: "/p/x.nix", line: 2 });
  assert.equal(t.call("unsafeGetAttrPos", "bb", removed), null);
  const inter = t.call("intersectAttrs", set({ bb: 0 }), s);
  assert.deepEqual(deep(t.call("unsafeGetAttrPos", "bb", inter)), { column: 3, file: "/p/x.nix", line: 3 });
  assert.equal(t.call("unsafeGetAttrPos", "a", t.call("mapAttrs", fn2((_, v) => v), s)), null);
});

test("groupBy groups elements by a string key, keeping order", () => {
  const first = fn((s) => (s as string).slice(0, 1));
  assert.deepEqual(deep(t.call("groupBy", first, ["foo", "bar", "baz"])), { b: ["bar", "baz"], f: ["foo"] });
  assert.deepEqual(names(t.call("groupBy", first, [])), []);
  expectError(() => t.call("groupBy", 1, "foo"), "expected a function but found an integer: 1", [
    "while evaluating the first argument passed to builtins.groupBy",
    "while calling the 'groupBy' builtin",
  ]);
  expectError(() => t.call("groupBy", fn((x) => x), "foo"), /expected a list/, [
    "while evaluating the second argument passed to builtins.groupBy",
    "while calling the 'groupBy' builtin",
  ]);
  expectError(() => t.call("groupBy", fn((x) => x), ["foo", "bar", 1]), "expected a string but found an integer: 1", [
    "while evaluating the return value of the grouping function passed to builtins.groupBy",
    "while calling the 'groupBy' builtin",
  ]);
  expectError(() => t.call("groupBy", fn((x) => x), [withCtx("a")]), /is not allowed to refer to a store path/);
});
