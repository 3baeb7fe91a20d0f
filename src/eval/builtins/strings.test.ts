// Expected values recorded from nix-instantiate 2.8, except where marked "modern" (hand-written
// from the spec: messages, lazy `to` in replaceStrings, convertHash which 2.8 lacks).
import assert from "node:assert/strict";
import { test } from "node:test";
import { EvalError } from "../errors.js";
import { Attrs, NixFloat, NixPath, NixString, type Value } from "../value.js";
import { register as strings } from "./strings.js";
import { counted, expectError, fn, set, testEnv, throwing } from "./test-support.js";

const t = testEnv([strings]);
const SP = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-foo";
const withCtx = (s: string, ...ctx: string[]) => new NixString(s, new Set(ctx));
const ctxOf = (v: Value): string[] => (v instanceof NixString ? [...v.ctx].sort() : []);
const bytes = (v: Value): string => (v instanceof NixString ? v.s : (v as string));

// A store that "copies" paths by name, for the coercions that copy paths.
Object.assign(t.state.store, {
  addPath: (_path: string, name: string) => `/nix/store/ffffffffffffffffffffffffffffffff-${name}`,
});
Object.assign(t.state.io, { fileType: () => "regular" });

test("toString uses toString mode and does not copy paths", () => {
  assert.equal(t.call("toString", [1, 2, [3, 4], [], "a", null]), "1 2 3 4 a ");
  assert.equal(t.call("toString", [[], 1]), "1");
  assert.equal(t.call("toString", new NixFloat(1.5)), "1.500000");
  assert.equal(t.call("toString", true), "1");
  assert.equal(t.call("toString", false), "");
  assert.equal(t.call("toString", null), "");
  assert.equal(t.call("toString", set({ __toString: fn(() => 42) })), "42");
  assert.equal(t.call("toString", [true, false, new NixFloat(1.5)]), "1  1.500000");
  assert.equal(t.call("toString", new NixPath("/tmp/x")), "/tmp/x");
  assert.equal(t.call("toString", set({ outPath: "op" })), "op");
  assert.deepEqual(ctxOf(t.call("toString", [withCtx("a", SP), "b"])), [SP]);
  expectError(() => t.call("toString", fn((x) => x)), /^cannot coerce a function to a string: /, [
    "while evaluating the first argument passed to builtins.toString",
    "while calling the 'toString' builtin",
  ]);
  expectError(() => t.call("toString", set({})), "cannot coerce a set to a string: { }");
});

test("stringLength counts bytes of the interpolation-mode coercion", () => {
  assert.equal(t.call("stringLength", "\xc3\xa9"), 2);
  assert.equal(t.call("stringLength", ""), 0);
  assert.equal(t.call("stringLength", set({ outPath: "abc" })), 3);
  assert.equal(t.call("stringLength", new NixPath("/tmp/foo")), "/nix/store/ffffffffffffffffffffffffffffffff-foo".length);
  expectError(() => t.call("stringLength", 1), "cannot coerce an integer to a string: 1", [
    "while evaluating the argument passed to builtins.stringLength",
    "while calling the 'stringLength' builtin",
  ]);
});

test("substring clips and keeps context", () => {
  assert.equal(t.call("substring", 1, 2, "hello"), "el");
  assert.equal(t.call("substring", 3, 100, "hello"), "lo");
  assert.equal(t.call("substring", 10, 2, "hello"), "");
  assert.equal(t.call("substring", 1, -1, "hello"), "ello");
  assert.equal(t.call("substring", 0, 0, "hello"), "");
  assert.equal(t.call("substring", 2n ** 60n, 1, "hello"), "");
  const r = t.call("substring", 0, 0, withCtx("abc", SP));
  assert.equal(bytes(r), "");
  assert.deepEqual(ctxOf(r), [SP]);
  assert.deepEqual(ctxOf(t.call("substring", 1, 1, withCtx("abc", SP))), [SP]);
  expectError(() => t.call("substring", -1, 2, "hello"), "negative start position in 'substring'");
  expectError(() => t.call("substring", "a", 2, "hello"), 'expected an integer but found a string: "a"', [
    "while evaluating the first argument (the start offset) passed to builtins.substring",
    "while calling the 'substring' builtin",
  ]);
  expectError(() => t.call("substring", 0, 1, 5), "cannot coerce an integer to a string: 5", [
    "while evaluating the third argument (the string) passed to builtins.substring",
    "while calling the 'substring' builtin",
  ]);
});

test("concatStringsSep joins coerced elements and unions contexts", () => {
  assert.equal(t.call("concatStringsSep", ", ", ["a", "b", "c"]), "a, b, c");
  assert.equal(t.call("concatStringsSep", "", []), "");
  assert.equal(t.call("concatStringsSep", "-", ["x"]), "x");
  assert.equal(t.call("concatStringsSep", "/", [set({ outPath: "o" }), "p"]), "o/p");
  const r = t.call("concatStringsSep", withCtx("-", "/nix/store/a"), ["x", withCtx("y", "/nix/store/b")]);
  assert.equal(bytes(r), "x-y");
  assert.deepEqual(ctxOf(r), ["/nix/store/a", "/nix/store/b"]);
  expectError(() => t.call("concatStringsSep", ",", [1]), "cannot coerce an integer to a string: 1", [
    "while evaluating one element of the list of strings to concat passed to builtins.concatStringsSep",
    "while calling the 'concatStringsSep' builtin",
  ]);
  expectError(() => t.call("concatStringsSep", 1, []), "expected a string but found an integer: 1", [
    "while evaluating the first argument (the separator string) passed to builtins.concatStringsSep",
    "while calling the 'concatStringsSep' builtin",
  ]);
});

test("concatStringsSep handles large lists", () => {
  const list = Array.from({ length: 200000 }, (_, i) => String(i % 10));
  const r = t.call("concatStringsSep", ",", list) as string;
  assert.equal(r.length, 399999);
});

test("replaceStrings scans left to right, first pattern wins", () => {
  assert.equal(t.call("replaceStrings", [""], ["X"], "ab"), "XaXbX");
  assert.equal(t.call("replaceStrings", ["a", "ab"], ["1", "2"], "abab"), "1b1b");
  assert.equal(t.call("replaceStrings", ["ab", "a"], ["2", "1"], "abac"), "21c");
  assert.equal(t.call("replaceStrings", ["a", ""], ["A", "-"], "bab"), "-bA-b-");
  assert.equal(t.call("replaceStrings", [], [], "x"), "x");
  assert.equal(t.call("replaceStrings", ["", "x"], ["-", "X"], ""), "-");
  assert.equal(t.call("replaceStrings", ["oo"], ["0"], "foooo"), "f00");
  assert.equal(t.call("replaceStrings", ["a"], [""], "banana"), "bnn");
  assert.equal(t.call("replaceStrings", ["\xc3\xa9"], ["e"], "caf\xc3\xa9!"), "cafe!");
});

test("replaceStrings forces replacements only when used (modern) and keeps their context", () => {
  const used = counted(() => "x");
  assert.equal(t.call("replaceStrings", ["a", "b"], [used.thunk, throwing("unused")], "aaa"), "xxx");
  assert.equal(used.count(), 1);
  const r = t.call("replaceStrings", ["a", "b"], [withCtx("A", "/nix/store/to"), withCtx("B", "/nix/store/unused")], withCtx("ac", "/nix/store/s"));
  assert.equal(bytes(r), "Ac");
  assert.deepEqual(ctxOf(r), ["/nix/store/s", "/nix/store/to"]);
  expectError(
    () => t.call("replaceStrings", ["a"], [], "x"),
    "'from' and 'to' arguments passed to builtins.replaceStrings have different lengths",
  );
  expectError(() => t.call("replaceStrings", [new NixPath("/a")], ["b"], "x"), "expected a string but found a path: /a", [
    "while evaluating one of the strings to replace passed to builtins.replaceStrings",
    "while calling the 'replaceStrings' builtin",
  ]);
});

test("replaceStrings is linear on large inputs", () => {
  const s = "abcdefghij".repeat(100000);
  const from = ["xyz", "cde", "j", "q", ""].slice(0, 4);
  const r = t.call("replaceStrings", from, ["1", "C", "J", "2"], s) as string;
  assert.equal(r.length, s.length - 200000);
  assert.ok(r.startsWith("abCfghiJab"));
});

test("replaceStrings gives the same result on long inputs (byte scanner) as piece by piece", () => {
  // Random strings over a small alphabet with overlapping patterns; a long input (scanned as bytes)
  // must equal the concatenation of the results on its short chunks cut at pattern-free bytes.
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const alphabet = "ab\xe9\xff";
  const word = (max: number): string => {
    let w = "";
    for (let i = 1 + rand(max); i > 0; i--) w += alphabet[rand(alphabet.length)];
    return w;
  };
  for (let round = 0; round < 200; round++) {
    const from = Array.from({ length: 1 + rand(4) }, () => word(3));
    const to = from.map(() => (rand(3) === 0 ? "" : word(4)));
    const chunks = Array.from({ length: 60 }, () => word(12));
    const long = chunks.join("|");
    assert.ok(long.length >= 256);
    const pieces = chunks.map((c) => t.call("replaceStrings", from, to, c) as string);
    assert.equal(t.call("replaceStrings", from, to, long), pieces.join("|"), `from ${JSON.stringify(from)}`);
  }
  // A match at the very end, a pattern longer than the rest, and no match at all.
  const tail = "x".repeat(300);
  assert.equal(t.call("replaceStrings", ["xy", "x"], ["", "y"], tail + "xy"), "y".repeat(300));
  assert.equal(t.call("replaceStrings", ["xxq", "q"], ["1", "2"], tail), tail);
  assert.equal(t.call("replaceStrings", ["q", "xq"], ["1", "2"], tail + "xq"), tail + "2");
});

test("match and split use the POSIX regex engine", () => {
  assert.deepEqual(t.deep("match", "a(b)?c", "ac"), [null]);
  assert.deepEqual(t.deep("match", "(a|ab)b?", "ab"), ["a"]);
  assert.equal(t.deep("match", "b", "abc"), null);
  assert.deepEqual(t.deep("match", ".*", "x\ny"), []);
  assert.deepEqual(t.deep("split", "(a)b", "abc"), ["", ["a"], "c"]);
  assert.deepEqual(t.deep("split", ",", "a,b,,c"), ["a", [], "b", [], "", [], "c"]);
  assert.deepEqual(t.deep("split", "x", "abc"), ["abc"]);
  assert.deepEqual(t.deep("split", "(b)?", "ab"), ["", [null], "a", ["b"], "", [null], ""]);
  const e = expectError(() => t.call("match", "(.*", "x"), "invalid regular expression '(.*'");
  assert.equal(e.catchable, false);
  expectError(() => t.call("match", "a", new NixPath("/a")), "expected a string but found a path: /a", [
    "while evaluating the second argument passed to builtins.match",
    "while calling the 'match' builtin",
  ]);
  expectError(() => t.call("split", withCtx("a", SP), "a"), `the string 'a' is not allowed to refer to a store path (such as '${SP}')`, [
    "while evaluating the first argument passed to builtins.split",
    "while calling the 'split' builtin",
  ]);
});

test("hashString gives lowercase hex digests", () => {
  assert.equal(t.call("hashString", "md5", "hello"), "5d41402abc4b2a76b9719d911017c592");
  assert.equal(t.call("hashString", "sha1", "hello"), "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  assert.equal(t.call("hashString", "sha256", "hello"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  assert.equal(
    t.call("hashString", "sha512", "hello"),
    "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
  );
  // Context is ignored.
  assert.equal(t.call("hashString", "md5", withCtx("hello", SP)), "5d41402abc4b2a76b9719d911017c592");
  // modern message
  expectError(() => t.call("hashString", "foo", "x"), "unknown hash algorithm 'foo', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'");
});

test("parseDrvName, compareVersions and splitVersion", () => {
  const r = t.call("parseDrvName", "nix-0.12pre12876") as Attrs;
  assert.equal(r.get("name"), "nix");
  assert.equal(r.get("version"), "0.12pre12876");
  assert.equal(t.call("compareVersions", "1.0", "2.3"), -1);
  assert.equal(t.call("compareVersions", "1.0a", "1.0"), 1);
  assert.deepEqual(t.call("splitVersion", "1.2a3-b"), ["1", "2", "a", "3", "b"]);
  expectError(() => t.call("parseDrvName", withCtx("a-1", SP)), `the string 'a-1' is not allowed to refer to a store path (such as '${SP}')`, [
    "while evaluating the first argument passed to builtins.parseDrvName",
    "while calling the 'parseDrvName' builtin",
  ]);
  expectError(() => t.call("compareVersions", "1", 2), "expected a string but found an integer: 2", [
    "while evaluating the second argument passed to builtins.compareVersions",
    "while calling the 'compareVersions' builtin",
  ]);
  assert.ok(EvalError);
});
