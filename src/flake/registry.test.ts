// Tests for registries: files and `nix registry list` output from Nix 2.8, and resolution results
// read from `nix flake metadata --json` (resolved) with testdata/registry-global.json.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readTestdata as read } from "./test-util.js";
import { flakeRefToAttrs, parseFlakeRef, type Attrs } from "./flake-ref.js";
import {
  addRegistryEntry,
  formatRegistryList,
  parseRegistry,
  removeRegistryEntry,
  resolveFlakeRef,
  serializeRegistry,
  type Registry,
} from "./registry.js";

const R = "82375ae4bd3100926fa8f910e022a60a2c3bf91f";

const USER = '{"flakes":[{"from":{"type":"indirect","id":"both"},"to":{"type":"git","url":"file:///tmp/fx/lk/c"}}],"version":2}';

test("registry files written by `nix registry add` round-trip, and add/remove rebuild them", () => {
  const text = read("registry-add.json");
  const reg = parseRegistry(text, "user", "t.json");
  assert.equal(serializeRegistry(reg), text);
  let built: Registry = { type: "user", entries: [] };
  built = addRegistryEntry(built, parseFlakeRef("a"), parseFlakeRef("github:x/y"));
  built = addRegistryEntry(built, parseFlakeRef("b/ref"), parseFlakeRef("github:x/z"));
  built = addRegistryEntry(built, parseFlakeRef("a/ref2"), parseFlakeRef("github:x/y?dir=d"));
  assert.equal(serializeRegistry(built), text);
  // Re-adding replaces and moves to the end; removing drops.
  const again = addRegistryEntry(built, parseFlakeRef("a"), parseFlakeRef("github:x/w"), true);
  assert.deepEqual(again.entries.map((e) => flakeRefToAttrs(e.from)["ref"] ?? flakeRefToAttrs(e.from)["id"]), ["ref", "ref2", "a"]);
  assert.match(serializeRegistry(again), /"exact": true/);
  assert.equal(removeRegistryEntry(again, parseFlakeRef("b/ref")).entries.length, 2);
});

test("`nix registry list` lines (Nix 2.8)", () => {
  const regs = [parseRegistry(read("registry-global.json"), "global"), parseRegistry(USER, "user")];
  assert.deepEqual(formatRegistryList(regs, "2.8"), read("registry-list-2.8.txt").trimEnd().split("\n"));
});

test("registry errors", () => {
  assert.throws(() => parseRegistry('{"flakes":[],"version":1}', "user", "/r.json"), { message: "flake registry '/r.json' has unsupported version 1" });
  assert.throws(() => parseRegistry("{", "user", "/r.json"), { message: /^cannot read flake registry '\/r\.json': / });
  assert.throws(
    () => parseRegistry('{"flakes":[{"from":{"type":"indirect","id":"k"},"to":{"type":"github","owner":"a","repo":"b","foo":1}}],"version":2}', "user", "/r.json"),
    { message: "cannot read flake registry '/r.json': unsupported input attribute 'foo'" },
  );
});

test("resolution through flag, user and global registries matches `nix flake metadata` (2.8)", () => {
  const regs = [
    parseRegistry(read("registry-global.json"), "global"),
    parseRegistry(USER, "user"),
  ];
  const c = { type: "git", url: "file:///tmp/fx/lk/c" };
  const lib = { type: "git", url: "file:///tmp/fx/lk/lib" };
  const cases: [string, Attrs | string][] = [
    ["g1", c],
    ["g1/other", { ...c, ref: "other" }],
    [`g1/${R}`, { ...c, rev: R }],
    ["both", c], // the user registry wins over the global one
    ["sub", { dir: "inner", type: "git", url: "file:///tmp/fx/lk/sub" }],
    ["ex", c],
    ["ex/other", lib],
    ["ex/master", "cannot find flake 'flake:ex/master' in the flake registries"],
    ["br", c],
    ["br/other", lib],
    ["br/master", { ...c, ref: "master" }],
    ["chain", c],
    ["chain/other", { ...c, ref: "other" }],
    ["pinref", { ...c, ref: "other" }],
    ["pinref/master", { ...c, ref: "master" }],
    ["nope", "cannot find flake 'flake:nope' in the flake registries"],
    ["flake:g1?dir=x", { ...c, dir: "x" }],
    ["git+file:///tmp/fx/lk/lib", lib], // direct references are left alone
  ];
  for (const [input, expected] of cases) {
    const run = () => flakeRefToAttrs(resolveFlakeRef(parseFlakeRef(input), regs));
    if (typeof expected === "string") assert.throws(run, { message: expected }, input);
    else assert.deepEqual(run(), expected, input);
  }
  // --override-flake g1 git+file:///tmp/fx/lk/lib: flag entries come first.
  const flag: Registry = addRegistryEntry({ type: "flag", entries: [] }, parseFlakeRef("g1"), parseFlakeRef("git+file:///tmp/fx/lk/lib"));
  assert.deepEqual(flakeRefToAttrs(resolveFlakeRef(parseFlakeRef("g1"), [...regs, flag])), lib);
  // Only some registries.
  assert.deepEqual(flakeRefToAttrs(resolveFlakeRef(parseFlakeRef("both"), regs, { types: ["flag", "global"] })), lib);
  // Cycles are reported.
  const loop = parseRegistry(
    '{"flakes":[{"from":{"type":"indirect","id":"x"},"to":{"type":"indirect","id":"y"}},{"from":{"type":"indirect","id":"y"},"to":{"type":"indirect","id":"x"}}],"version":2}',
    "user",
  );
  assert.throws(() => resolveFlakeRef(parseFlakeRef("x"), [loop]), { message: /^cycle detected in flake registry for 'flake:/ });
  // nixpkgs/branch → github with that branch; a revision replaces the branch.
  const gh = addRegistryEntry({ type: "global", entries: [] }, parseFlakeRef("nixpkgs"), parseFlakeRef("github:NixOS/nixpkgs/nixpkgs-unstable"));
  assert.deepEqual(flakeRefToAttrs(resolveFlakeRef(parseFlakeRef("nixpkgs/nixos-22.05"), [gh])), {
    owner: "NixOS", ref: "nixos-22.05", repo: "nixpkgs", type: "github",
  });
  assert.deepEqual(flakeRefToAttrs(resolveFlakeRef(parseFlakeRef(`nixpkgs/${R}`), [gh])), {
    owner: "NixOS", repo: "nixpkgs", rev: R, type: "github",
  });
});
