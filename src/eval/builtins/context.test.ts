// Expected values recorded from nix-instantiate 2.8 (getContext shapes, appendContext rules);
// messages follow modern Nix (spec §4.9), addDrvOutputDependencies is modern only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Attrs, NixPath, NixString, type Value } from "../value.js";
import { register as context } from "./context.js";
import { expectError, set, testEnv } from "./test-support.js";

const t = testEnv([context]);
Object.assign(t.state.store, {
  addPath: (_path: string, name: string) => `/nix/store/ffffffffffffffffffffffffffffffff-${name}`,
});
Object.assign(t.state.io, { fileType: () => "regular" });

const DRV = "/nix/store/04s49lw7m6vgvdrrkq4iilvzfq7848vy-d.drv";
const FILE = "/nix/store/x93g3gvygaiq7h4b6zls3w7l5az1y526-f";
const withCtx = (s: string, ...ctx: string[]) => new NixString(s, new Set(ctx));
const ctxOf = (v: Value): string[] => (v instanceof NixString ? [...v.ctx].sort() : []);

/** A set as a plain object, recursively (for deepEqual). */
function plain(v: Value): unknown {
  if (v instanceof Attrs) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

test("getContext groups elements per store path", () => {
  const s = withCtx("x", `!out!${DRV}`, `!dev!${DRV}`, `=${DRV}`, FILE);
  assert.deepEqual(plain(t.deep("getContext", s)), {
    [DRV]: { allOutputs: true, outputs: ["dev", "out"] },
    [FILE]: { path: true },
  });
  assert.deepEqual(plain(t.deep("getContext", "plain")), {});
  expectError(() => t.call("getContext", 1), "expected a string but found an integer: 1", [
    "while evaluating the argument passed to builtins.getContext",
    "while calling the 'getContext' builtin",
  ]);
});

test("hasContext and unsafeDiscardStringContext", () => {
  assert.equal(t.call("hasContext", withCtx("x", FILE)), true);
  assert.equal(t.call("hasContext", "x"), false);
  assert.equal(t.call("unsafeDiscardStringContext", withCtx("x", FILE)), "x");
  assert.equal(t.call("unsafeDiscardStringContext", set({ outPath: withCtx("o", FILE) })), "o");
  // Interpolation-mode coercion: a path is copied first.
  assert.equal(t.call("unsafeDiscardStringContext", new NixPath("/tmp/a")), "/nix/store/ffffffffffffffffffffffffffffffff-a");
  expectError(() => t.call("hasContext", new NixPath("/a")), "expected a string but found a path: /a");
});

test("unsafeDiscardOutputDependency turns all-outputs into plain paths", () => {
  const r = t.call("unsafeDiscardOutputDependency", withCtx(DRV, `=${DRV}`, `!out!${DRV}`));
  assert.deepEqual(ctxOf(r), [`!out!${DRV}`, DRV].sort());
  assert.equal(t.call("unsafeDiscardOutputDependency", "x"), "x");
});

test("addDrvOutputDependencies turns a .drv path into all-outputs (modern)", () => {
  assert.deepEqual(ctxOf(t.call("addDrvOutputDependencies", withCtx(DRV, DRV))), [`=${DRV}`]);
  assert.deepEqual(ctxOf(t.call("addDrvOutputDependencies", withCtx(DRV, `=${DRV}`))), [`=${DRV}`]);
  expectError(() => t.call("addDrvOutputDependencies", ""), "context of string '' must have exactly one element, but has 0");
  expectError(
    () => t.call("addDrvOutputDependencies", withCtx("x", FILE, DRV)),
    "context of string 'x' must have exactly one element, but has 2",
  );
  expectError(() => t.call("addDrvOutputDependencies", withCtx("x", FILE)), `path '${FILE}' is not a derivation`);
  expectError(
    () => t.call("addDrvOutputDependencies", withCtx("x", `!out!${DRV}`)),
    "`addDrvOutputDependencies` can only act on derivations, not on a derivation output such as 'out'",
  );
});

test("appendContext adds elements back", () => {
  const r = t.call("appendContext", withCtx("x", FILE), set({ [DRV]: set({ outputs: ["out", "bin"], allOutputs: true, path: true }) }));
  assert.equal(r instanceof NixString && r.s, "x");
  assert.deepEqual(ctxOf(r), [`!bin!${DRV}`, `!out!${DRV}`, `=${DRV}`, DRV, FILE].sort());
  assert.deepEqual(plain(t.deep("getContext", r)), {
    [DRV]: { allOutputs: true, outputs: ["bin", "out"], path: true },
    [FILE]: { path: true },
  });
  // Nothing requested: no context.
  const a = "/nix/store/ffffffffffffffffffffffffffffffff-a";
  assert.equal(t.call("appendContext", "x", set({ [a]: set({ outputs: [], path: false }) })), "x");
  expectError(() => t.call("appendContext", "x", set({ "/tmp/a": set({ path: true }) })), "context key '/tmp/a' is not a store path");
  expectError(
    () => t.call("appendContext", "x", set({ [a]: set({ allOutputs: true }) })),
    `tried to add all-outputs context of ${a}, which is not a derivation, to a string`,
  );
  expectError(
    () => t.call("appendContext", "x", set({ [a]: set({ outputs: ["out"] }) })),
    `tried to add derivation output context of ${a}, which is not a derivation, to a string`,
  );
  expectError(() => t.call("appendContext", "x", set({ [a]: set({ path: 1 }) })), "expected a Boolean but found an integer: 1", [
    "while evaluating the `path` attribute of a string context",
    "while calling the 'appendContext' builtin",
  ]);
});
