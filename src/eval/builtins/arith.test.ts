import assert from "node:assert/strict";
import { test } from "node:test";
import { NixFloat, NixPath, Thunk, type Value } from "../value.js";
import { register as arith } from "./arith.js";
import { expectError, set, testEnv, throwing } from "./test-support.js";

const t = testEnv([arith]);
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const f = (x: number) => new NixFloat(x);
const float = (v: Value) => {
  assert.ok(v instanceof NixFloat, `expected a float, got ${String(v)}`);
  return v.value;
};

test("add/sub/mul on ints stay exact ints", () => {
  assert.equal(t.call("add", 2, 3), 5);
  assert.equal(t.call("sub", 2, 3), -1);
  assert.equal(t.call("mul", -4, 3), -12);
  assert.equal(t.call("add", 2 ** 53, 2 ** 53), 2n ** 54n);
  assert.equal(t.call("sub", -(2 ** 53), 2 ** 53), -(2n ** 54n));
  assert.equal(t.call("mul", 2 ** 40, 2 ** 20), 2n ** 60n);
  assert.equal(t.call("add", 2n ** 60n, -(2n ** 60n)), 0);
  assert.equal(t.call("add", MAX, 0), MAX);
  assert.ok(Object.is(t.call("mul", 0, -5), 0));
});

test("mixing in a float makes the result a float", () => {
  assert.equal(float(t.call("add", 1, f(0.5))), 1.5);
  assert.equal(float(t.call("sub", f(0.5), 1)), -0.5);
  assert.equal(float(t.call("mul", f(1e308), 10)), Infinity);
  assert.equal(float(t.call("add", f(1), f(2))), 3);
});

test("integer overflow is an error", () => {
  expectError(() => t.call("add", MAX, 1), "integer overflow in adding 9223372036854775807 + 1", [
    "while calling the 'add' builtin",
  ]);
  expectError(() => t.call("sub", MIN, 1), "integer overflow in subtracting -9223372036854775808 - 1");
  expectError(() => t.call("mul", MAX, 2), "integer overflow in multiplying 9223372036854775807 * 2");
  expectError(() => t.call("div", MIN, -1), "integer overflow in dividing -9223372036854775808 / -1");
});

test("div truncates towards zero and rejects a zero divisor", () => {
  assert.equal(t.call("div", 7, 2), 3);
  assert.equal(t.call("div", -7, 2), -3);
  assert.equal(t.call("div", 7, -2), -3);
  assert.ok(Object.is(t.call("div", -1, 2), 0));
  assert.equal(t.call("div", 2n ** 62n, 2), 2n ** 61n);
  assert.equal(float(t.call("div", 1, f(2))), 0.5);
  assert.equal(float(t.call("div", f(7), 2)), 3.5);
  expectError(() => t.call("div", 1, 0), "division by zero", ["while calling the 'div' builtin"]);
  expectError(() => t.call("div", 1, f(0)), "division by zero");
  expectError(() => t.call("div", f(1), 0), "division by zero");
  // The divisor is checked first, so a bad dividend with a zero divisor is "division by zero".
  expectError(() => t.call("div", "foo", 0), "division by zero");
});

test("arithmetic type errors name the operand", () => {
  expectError(() => t.call("add", "foo", 1), 'expected an integer but found a string: "foo"', [
    "while evaluating the first argument of the addition",
    "while calling the 'add' builtin",
  ]);
  expectError(() => t.call("add", 1, "foo"), 'expected an integer but found a string: "foo"', [
    "while evaluating the second argument of the addition",
    "while calling the 'add' builtin",
  ]);
  expectError(() => t.call("add", f(1), "foo"), 'expected a float but found a string: "foo"', [
    "while evaluating the second argument of the addition",
    "while calling the 'add' builtin",
  ]);
  expectError(() => t.call("sub", "foo", 1), /expected an integer/, [
    "while evaluating the first argument of the subtraction",
    "while calling the 'sub' builtin",
  ]);
  expectError(() => t.call("sub", 1, null), "expected an integer but found null: null", [
    "while evaluating the second argument of the subtraction",
    "while calling the 'sub' builtin",
  ]);
  expectError(() => t.call("mul", "foo", 1), /expected an integer/, [
    "while evaluating the first argument of the multiplication",
    "while calling the 'mul' builtin",
  ]);
  expectError(() => t.call("mul", "foo", f(1)), /expected a float/, [
    "while evaluating the first of the multiplication",
    "while calling the 'mul' builtin",
  ]);
  expectError(() => t.call("div", "foo", 1), 'expected an integer but found a string: "foo"', [
    "while evaluating the first operand of the division",
    "while calling the 'div' builtin",
  ]);
  expectError(() => t.call("div", 1, "foo"), 'expected a float but found a string: "foo"', [
    "while evaluating the second operand of the division",
    "while calling the 'div' builtin",
  ]);
  expectError(() => t.call("add", set({}), 1), "expected an integer but found a set: { }");
  expectError(() => t.call("add", new NixPath("/a"), 1), /expected an integer but found a path/);
});

test("operands are forced left to right", () => {
  expectError(() => t.call("add", throwing("left"), throwing("right")), "left");
  expectError(() => t.call("div", throwing("left"), throwing("right")), "left");
  assert.equal(t.call("add", new Thunk(() => 1, []), new Thunk(() => 2, [])), 3);
});

test("lessThan follows Nix's ordering and its errors", () => {
  assert.equal(t.call("lessThan", 1, 2), true);
  assert.equal(t.call("lessThan", 2, f(1.5)), false);
  assert.equal(t.call("lessThan", f(1.5), 2), true);
  assert.equal(t.call("lessThan", 2n ** 60n, 2n ** 61n), true);
  assert.equal(t.call("lessThan", "B", "a"), true);
  assert.equal(t.call("lessThan", "", "a"), true);
  assert.equal(t.call("lessThan", "\xc3\xa9", "z"), false);
  assert.equal(t.call("lessThan", new NixPath("/a"), new NixPath("/b")), true);
  assert.equal(t.call("lessThan", [1], [1, 0]), true);
  assert.equal(t.call("lessThan", [], []), false);
  assert.equal(t.call("lessThan", [1, 2], [1, 3]), true);
  expectError(() => t.call("lessThan", 1, "foo"), 'cannot compare an integer with a string; values are 1 and "foo"', [
    "while calling the 'lessThan' builtin",
  ]);
  expectError(
    () => t.call("lessThan", set({}), set({})),
    "cannot compare a set with a set; values of that type are incomparable (values are { } and { })",
  );
  expectError(
    () => t.call("lessThan", [1, 2], ["foo"]),
    'cannot compare an integer with a string; values are 1 and "foo"',
    ["while comparing two list elements", "while calling the 'lessThan' builtin"],
  );
});

test("bit operations work on all 64 bits", () => {
  assert.equal(t.call("bitAnd", 12, 10), 8);
  assert.equal(t.call("bitOr", 12, 10), 14);
  assert.equal(t.call("bitXor", 12, 10), 6);
  assert.equal(t.call("bitXor", -6, 3), -7);
  assert.equal(t.call("bitAnd", -1, MAX), MAX);
  assert.equal(t.call("bitOr", 4294967296, 1), 4294967297);
  assert.equal(t.call("bitAnd", 2 ** 40 + 5, 2 ** 40 + 3), 2 ** 40 + 1);
  assert.equal(t.call("bitXor", MIN, -1), MAX);
  assert.equal(t.call("bitOr", 2 ** 31, 0), 2 ** 31);
  expectError(() => t.call("bitAnd", f(1.1), 2), "expected an integer but found a float: 1.1", [
    "while evaluating the first argument passed to builtins.bitAnd",
    "while calling the 'bitAnd' builtin",
  ]);
  expectError(() => t.call("bitOr", 1, f(2.2)), "expected an integer but found a float: 2.2", [
    "while evaluating the second argument passed to builtins.bitOr",
    "while calling the 'bitOr' builtin",
  ]);
  expectError(() => t.call("bitXor", 1, "x"), /expected an integer/, [
    "while evaluating the second argument passed to builtins.bitXor",
    "while calling the 'bitXor' builtin",
  ]);
});

test("floor and ceil round floats to ints and return ints unchanged", () => {
  assert.equal(t.call("floor", f(2.5)), 2);
  assert.equal(t.call("floor", f(-2.5)), -3);
  assert.equal(t.call("ceil", f(2.5)), 3);
  assert.ok(Object.is(t.call("ceil", f(-0.5)), 0));
  assert.equal(t.call("ceil", f(-2.5)), -2);
  assert.equal(t.call("floor", 7), 7);
  assert.equal(t.call("ceil", -7), -7);
  assert.equal(t.call("floor", f(2 ** 60)), 2n ** 60n);
  assert.equal(t.call("floor", f(-(2 ** 63))), MIN);
  assert.equal(t.call("ceil", 2n ** 60n), 2n ** 60n);
  expectError(() => t.call("floor", f(1e300)), "NixFloat argument 1e+300 is not in the range of NixInt", [
    "while calling the 'floor' builtin",
  ]);
  expectError(() => t.call("ceil", f(2 ** 63)), "NixFloat argument 9.22337e+18 is not in the range of NixInt");
  expectError(() => t.call("floor", f(NaN)), "NixFloat argument nan is not in the range of NixInt");
  expectError(() => t.call("floor", MAX), /the NixInt argument 9223372036854775807 caused undefined behavior/);
  expectError(
    () => t.call("ceil", 2n ** 60n + 1n),
    /loss of precision occurred in previous Nix versions because the NixInt argument 1152921504606846977 was rounded to 1152921504606846976/,
  );
  expectError(() => t.call("floor", "foo"), 'expected a float but found a string: "foo"', [
    "while evaluating the first argument passed to builtins.floor",
    "while calling the 'floor' builtin",
  ]);
  expectError(() => t.call("ceil", "foo"), /expected a float/, [
    "while evaluating the first argument passed to builtins.ceil",
    "while calling the 'ceil' builtin",
  ]);
});
