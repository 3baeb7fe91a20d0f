// fromTOML as a builtin: conversion to Nix values (recorded from nix-instantiate 2.8) and the
// modern error messages (hand-written from the spec: `while parsing TOML: …`).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Attrs, NixFloat, NixString, type Value } from "../value.js";
import { register as toml } from "./toml.js";
import { expectError, testEnv } from "./test-support.js";

function plain(v: Value): unknown {
  if (v instanceof Attrs) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof NixFloat) return { float: v.value };
  return v;
}

const t = testEnv([toml]);

test("fromTOML converts tables, arrays and scalars", () => {
  assert.deepEqual(plain(t.deep("fromTOML", "a = 0x10\nb = 0o17\nc = 0b101\nd = 1_000\ne = +5\nf = -0\n[g]\nh = [1.5, 'x', true]")), {
    a: 16,
    b: 15,
    c: 5,
    d: 1000,
    e: 5,
    f: 0,
    g: { h: [{ float: 1.5 }, "x", true] },
  });
  assert.equal(plain(t.deep("fromTOML", "a = 9223372036854775807")) instanceof Object, true);
  assert.deepEqual(plain(t.deep("fromTOML", "a = -9223372036854775808")), { a: -(2n ** 63n) });
});

test("dates are an error unless parse-toml-timestamps is enabled", () => {
  expectError(() => t.deep("fromTOML", "a = 1979-05-27"), "while parsing TOML: Dates and times are not supported", [
    "while calling the 'fromTOML' builtin",
  ]);
  const x = testEnv([toml], { experimentalFeatures: ["parse-toml-timestamps"] } as object);
  assert.deepEqual(plain(x.deep("fromTOML", "a = 1979-05-27 07:32:00Z\nb = [00:32:00.999999]")), {
    a: { _type: "timestamp", value: "1979-05-27T07:32:00Z" },
    b: [{ _type: "timestamp", value: "00:32:00.999999" }],
  });
});

test("syntax errors show the line", () => {
  expectError(
    () => t.call("fromTOML", "a = 1\nb = 2\nb = 3\n"),
    "while parsing TOML: [error] the key 'b' is defined twice\n --> fromTOML\n  |\n3 | b = 3\n  | ^-- here",
  );
  expectError(() => t.call("fromTOML", "a = 9223372036854775808"), /^while parsing TOML: \[error\] integer '9223372036854775808' is out of the range of 64-bit integers\n/);
  expectError(() => t.call("fromTOML", new NixString("a = 1", new Set(["/nix/store/x"]))), /is not allowed to refer to a store path/, [
    "while evaluating the argument passed to builtins.fromTOML",
    "while calling the 'fromTOML' builtin",
  ]);
});
