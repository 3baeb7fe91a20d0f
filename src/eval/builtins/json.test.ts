// fromJSON syntax errors and results recorded from nix-instantiate 2.8 (same JSON library as
// modern Nix); float formatting, escapes, integer range, NUL and `__toString` rules hand-written
// from the spec (§4.10) for modern Nix.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EvalError } from "../errors.js";
import { formatJSONFloat, utf8Problem } from "../to-json.js";
import { Attrs, NixFloat, NixPath, NixString, type Value } from "../value.js";
import { register as json } from "./json.js";
import { expectError, fn, set, testEnv, throwing } from "./test-support.js";

const t = testEnv([json]);
Object.assign(t.state.store, {
  addPath: (_path: string, name: string) => `/nix/store/ffffffffffffffffffffffffffffffff-${name}`,
});
Object.assign(t.state.io, { fileType: () => "regular" });

const toJSON = (v: Value): string => {
  const r = t.call("toJSON", v);
  return r instanceof NixString ? r.s : (r as string);
};

function plain(v: Value): unknown {
  if (v instanceof Attrs) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof NixFloat) return { float: v.value };
  return v;
}
const fromJSON = (s: string): unknown => plain(t.deep("fromJSON", s));

test("toJSON writes scalars, lists and sets compactly with sorted keys", () => {
  assert.equal(toJSON(set({ a: new NixFloat(1.5), b: [1, "x\n", null, true], c: set({ __toString: fn(() => "hi") }), d: set({ outPath: "op" }) })),
    '{"a":1.5,"b":[1,"x\\n",null,true],"c":"hi","d":"op"}');
  assert.equal(toJSON(set({ "": 1, b: 2, B: 3, "\xc3\xa9": 4 })), '{"":1,"B":3,"b":2,"\xc3\xa9":4}');
  assert.equal(toJSON([]), "[]");
  assert.equal(toJSON(set({})), "{}");
  assert.equal(toJSON(2n ** 62n), "4611686018427387904");
  assert.equal(toJSON(-5), "-5");
});

test("toJSON escapes like the JSON library (modern)", () => {
  assert.equal(toJSON("\x01\x1f\x7f\b\f\n\r\t\"\\/"), '"\\u0001\\u001f\x7f\\b\\f\\n\\r\\t\\"\\\\/"');
  assert.equal(toJSON("\xf0\x9f\x98\x80"), '"\xf0\x9f\x98\x80"');
});

test("toJSON floats use the shortest round-trip form (modern)", () => {
  const cases: [number, string][] = [
    [0.30000000000000004, "0.30000000000000004"],
    [1, "1.0"],
    [1e14, "100000000000000.0"],
    [1e15, "1e+15"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [-0, "-0.0"],
    [0, "0.0"],
    [1.5e300, "1.5e+300"],
    [123456789.123, "123456789.123"],
    [-2.5e-7, "-2.5e-07"],
    [1.25e100, "1.25e+100"],
    [5e-324, "5e-324"],
    [123.456, "123.456"],
    [Infinity, "null"],
    [NaN, "null"],
  ];
  for (const [x, s] of cases) assert.equal(formatJSONFloat(x), s, String(x));
  assert.equal(toJSON([new NixFloat(1), new NixFloat(0.1)]), "[1.0,0.1]");
});

test("toJSON copies paths to the store and keeps context", () => {
  const r = t.call("toJSON", [new NixPath("/tmp/foo"), new NixString("x", new Set(["/nix/store/ctx"]))]);
  assert.ok(r instanceof NixString);
  assert.equal(r.s, '["/nix/store/ffffffffffffffffffffffffffffffff-foo","x"]');
  assert.deepEqual([...r.ctx].sort(), ["/nix/store/ctx", "/nix/store/ffffffffffffffffffffffffffffffff-foo"]);
});

test("toJSON errors", () => {
  expectError(() => toJSON(set({ a: [1, fn((x) => x)] })), "cannot convert a function to JSON", [
    "while evaluating list element at index 1",
    "while evaluating attribute 'a'",
    "while calling the 'toJSON' builtin",
  ]);
  expectError(() => toJSON(set({ __toString: fn(() => 42) })), "`__toString` should return a string, but got an integer: 42");
  expectError(() => toJSON(set({ __toString: fn(() => set({ outPath: "x" })) })), "`__toString` should return a string, but got a set: { outPath = \"x\"; }");
  assert.equal(toJSON(set({ __toString: fn(() => new NixPath("/tmp/p")) })), '"/nix/store/ffffffffffffffffffffffffffffffff-p"');
  expectError(() => toJSON(set({ b: throwing("boom") })), "boom", ["while evaluating attribute 'b'", "while calling the 'toJSON' builtin"]);
  expectError(
    () => toJSON(["ok", "0123456789abcdef\xff"]),
    "JSON serialization error: [json.exception.type_error.316] invalid UTF-8 byte at index 16: 0xFF",
  );
  expectError(() => toJSON("a\xc3"), "JSON serialization error: [json.exception.type_error.316] incomplete UTF-8 string; last byte: 0xC3");
  // Evaluation errors come before encoding errors.
  expectError(() => toJSON(["\xff", throwing("later")]), "later");
});

test("utf8Problem follows the well-formedness table", () => {
  assert.equal(utf8Problem("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), null);
  assert.equal(utf8Problem("\xc0\x80"), "invalid UTF-8 byte at index 0: 0xC0");
  assert.equal(utf8Problem("\xe0\x80\x80"), "invalid UTF-8 byte at index 1: 0x80");
  assert.equal(utf8Problem("\xed\xa0\x80"), "invalid UTF-8 byte at index 1: 0xA0");
  assert.equal(utf8Problem("\xf4\x90\x80\x80"), "invalid UTF-8 byte at index 1: 0x90");
  assert.equal(utf8Problem("\xc3("), "invalid UTF-8 byte at index 1: 0x28");
  assert.equal(utf8Problem("ab\x80"), "invalid UTF-8 byte at index 2: 0x80");
});

test("fromJSON parses values", () => {
  assert.deepEqual(fromJSON("[1,2,3,4,5,6]"), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(fromJSON(' {"a": [true, false, null], "b": {"c": "d"}} '), { a: [true, false, null], b: { c: "d" } });
  assert.deepEqual(fromJSON("{} "), {});
  assert.deepEqual(fromJSON("1.0"), { float: 1 });
  assert.deepEqual(fromJSON("-0"), 0);
  assert.deepEqual(fromJSON("1E2"), { float: 100 });
  assert.deepEqual(fromJSON("1.5e3"), { float: 1500 });
  assert.deepEqual(fromJSON("-1.5e-3"), { float: -0.0015 });
  assert.deepEqual(fromJSON("9223372036854775807"), 2n ** 63n - 1n);
  assert.deepEqual(fromJSON("-9223372036854775808"), -(2n ** 63n));
  assert.deepEqual(fromJSON("18446744073709551616"), { float: 18446744073709551616 });
  assert.deepEqual(fromJSON("-9223372036854775809"), { float: -9223372036854775809 });
  assert.deepEqual(fromJSON('{"a":1,"a":2}'), { a: 2 });
  assert.deepEqual(fromJSON('["\xc3\xa9"]'), ["\xc3\xa9"]);
  assert.deepEqual(fromJSON('"\\uD83D\\uDE00"'), "\xf0\x9f\x98\x80");
  assert.deepEqual(fromJSON('"\\u00e9\\u0041\\n\\t\\/\\b\\f\\r\\"\\\\"'), "\xc3\xa9A\n\t/\b\f\r\"\\");
  assert.deepEqual(fromJSON("\xef\xbb\xbf[1]"), [1]);
  // Deep nesting needs no recursion.
  assert.equal((t.call("fromJSON", "[".repeat(100000) + "]".repeat(100000)) as Value[]).length, 1);
});

test("fromJSON range and NUL errors (modern)", () => {
  expectError(() => t.call("fromJSON", "18446744073709551615"), "unsigned json number 18446744073709551615 outside of Nix integer range");
  expectError(() => t.call("fromJSON", '"a\\u0000b"'), "input string 'a\0b' cannot be represented as Nix string because it contains null bytes");
  expectError(() => t.call("fromJSON", new NixString("1", new Set(["/nix/store/x"]))), /is not allowed to refer to a store path/);
});

test("fromJSON syntax errors match the JSON library's messages", () => {
  const P = "[json.exception.parse_error.101] parse error at ";
  const cases: [string, string][] = [
    ["[1,]", "line 1, column 4: syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal"],
    ["[1, tru]", "line 1, column 8: syntax error while parsing value - invalid literal; last read: '1, tru]'"],
    ["  x", "line 1, column 3: syntax error while parsing value - invalid literal; last read: '  x'"],
    ["", "line 1, column 1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"],
    ["[1 2]", "line 1, column 4: syntax error while parsing array - unexpected number literal; expected ']'"],
    ["01", "line 1, column 2: syntax error while parsing value - unexpected number literal; expected end of input"],
    ["-", "line 1, column 2: syntax error while parsing value - invalid number; expected digit after '-'; last read: '-'"],
    ["1.", "line 1, column 3: syntax error while parsing value - invalid number; expected digit after '.'; last read: '1.'"],
    ["1e", "line 1, column 3: syntax error while parsing value - invalid number; expected '+', '-', or digit after exponent; last read: '1e'"],
    ["1e+", "line 1, column 4: syntax error while parsing value - invalid number; expected digit after exponent sign; last read: '1e+'"],
    ['"abc', "line 1, column 5: syntax error while parsing value - invalid string: missing closing quote; last read: '\"abc'"],
    ['"a\nb"', "line 2, column 0: syntax error while parsing value - invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n; last read: '\"a<U+000A>'"],
    ['"\t"', "line 1, column 2: syntax error while parsing value - invalid string: control character U+0009 (HT) must be escaped to \\u0009 or \\t; last read: '\"<U+0009>'"],
    ['{"a" 1}', "line 1, column 6: syntax error while parsing object separator - unexpected number literal; expected ':'"],
    ["{1:2}", "line 1, column 2: syntax error while parsing object key - unexpected number literal; expected string literal"],
    ['{"a":1 "b"}', "line 1, column 10: syntax error while parsing object - unexpected string literal; expected '}'"],
    ["[1 , 2 3]", "line 1, column 8: syntax error while parsing array - unexpected number literal; expected ']'"],
    ["nul", "line 1, column 4: syntax error while parsing value - invalid literal; last read: 'nul'"],
    ["[]x", "line 1, column 3: syntax error while parsing value - invalid literal; last read: '[]x'; expected end of input"],
    [" \n [\n1,\n]", "line 4, column 1: syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal"],
    ['"\\u12"', "line 1, column 6: syntax error while parsing value - invalid string: '\\u' must be followed by 4 hex digits; last read: '\"\\u12\"'"],
    ['"\\uD800"', "line 1, column 8: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\uD800\"'"],
    ['"\\uD800x"', "line 1, column 8: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\uD800x'"],
    ['"\\uD800\\u0041"', "line 1, column 13: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\uD800\\u0041'"],
    ['"\\uDC00"', "line 1, column 7: syntax error while parsing value - invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF; last read: '\"\\uDC00'"],
    ['"\\x"', "line 1, column 3: syntax error while parsing value - invalid string: forbidden character after backslash; last read: '\"\\x'"],
    ["[1,\n2,\n3", "line 3, column 2: syntax error while parsing array - unexpected end of input; expected ']'"],
    ['{"a":', "line 1, column 6: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"],
    ["{", "line 1, column 2: syntax error while parsing object key - unexpected end of input; expected string literal"],
    ["[", "line 1, column 2: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"],
    ["[1", "line 1, column 3: syntax error while parsing array - unexpected end of input; expected ']'"],
    ['{"a":1,}', "line 1, column 8: syntax error while parsing object key - unexpected '}'; expected string literal"],
    ["true false", "line 1, column 10: syntax error while parsing value - unexpected false literal; expected end of input"],
    ["-01", "line 1, column 3: syntax error while parsing value - unexpected number literal; expected end of input"],
    ["/", "line 1, column 1: syntax error while parsing value - invalid literal; last read: '/'"],
  ];
  for (const [input, msg] of cases) {
    expectError(() => t.call("fromJSON", input), P + msg, ["while decoding a JSON string", "while calling the 'fromJSON' builtin"]);
  }
  expectError(() => t.call("fromJSON", "1e999"), "[json.exception.out_of_range.406] number overflow parsing '1e999'");
  assert.ok(EvalError);
});
