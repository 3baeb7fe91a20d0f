// The shared argv walk: values after the flag or after `=`, `--` ending the walk, and the
// command style's error for a missing value.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NIX_STYLE, SEPARATE_VALUES_STYLE, walkArgs, type ArgWalkStyle } from "./args.js";
import { UsageError } from "./usage.js";

/** The walk as a list of `flag(values)` / `arg` entries, for flags that take `arity` values. */
function walk(argv: string[], style: ArgWalkStyle, arity: Record<string, number>): string[] {
  const seen: string[] = [];
  walkArgs(argv, style, (arg, at) => {
    if (arg === "--") seen.push(`rest:${at.rest().join(",")}`);
    else if (arg in arity) seen.push(`${arg}(${Array.from({ length: arity[arg]! }, () => at.value()).join(",")})`);
    else seen.push(at.raw === arg ? arg : `raw:${at.raw}`);
  });
  return seen;
}

test("values follow their flag, or come after '=' in the inline style", () => {
  const arity = { "--expr": 1, "--arg": 2 };
  assert.deepEqual(walk(["--expr", "1", "x", "--arg", "a", "b"], NIX_STYLE, arity), ["--expr(1)", "x", "--arg(a,b)"]);
  assert.deepEqual(walk(["--expr=1", "--arg=a", "b", "--json=no"], NIX_STYLE, arity), ["--expr(1)", "--arg(a,b)", "raw:--json=no"]);
  assert.deepEqual(walk(["--expr=1", "x"], SEPARATE_VALUES_STYLE, arity), ["--expr=1", "x"]);
  assert.deepEqual(walk(["--expr=", "x"], NIX_STYLE, arity), ["--expr()", "x"]);
});

test("'--' hands the rest over and ends the walk", () => {
  assert.deepEqual(walk(["a", "--", "--expr", "b"], NIX_STYLE, { "--expr": 1 }), ["a", "rest:--expr,b"]);
});

test("a missing value is the style's error; optionalValue allows it", () => {
  assert.throws(() => walk(["x", "--expr"], NIX_STYLE, { "--expr": 1 }), (e: unknown) => e instanceof UsageError && e.message === "flag '--expr' requires an argument");
  assert.throws(() => walk(["--arg=a"], NIX_STYLE, { "--arg": 2 }), { message: "flag '--arg' requires an argument" });
  const seen: (string | undefined)[] = [];
  walkArgs(["--opt"], NIX_STYLE, (_, at) => seen.push(at.optionalValue()));
  assert.deepEqual(seen, [undefined]);
});

test("compound short flags split as Nix splits them, in flag position only", () => {
  const arity = { "-j": 1, "-A": 1, "--expr": 1 };
  assert.deepEqual(walk(["-j4", "x"], NIX_STYLE, arity), ["-j(4)", "x"]);
  assert.deepEqual(walk(["-Lj4", "-KL"], NIX_STYLE, arity), ["-L", "-j(4)", "-K", "-L"]);
  // As in Nix, the letters of a value glued to its flag become flags too.
  assert.deepEqual(walk(["-Afoo.bar"], SEPARATE_VALUES_STYLE, arity), ["-A(-f)", "-o", "-o", ".bar"]);
  assert.deepEqual(walk(["-A", "-foo", "--expr", "-xy"], NIX_STYLE, arity), ["-A(-foo)", "--expr(-xy)"]);
  assert.deepEqual(walk(["-1", "-", "--", "-ab"], NIX_STYLE, arity), ["-1", "-", "rest:-ab"]);
  assert.deepEqual(walk(["-j4"], { ...NIX_STYLE, compoundShortFlags: false }, arity), ["-j4"]);
});
