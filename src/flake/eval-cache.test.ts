import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Attrs, NixString, Thunk, type Value } from "../eval/value.js";
import { AttrCursor, EvalCacheDb } from "./eval-cache.js";
import { showFlakeOutputs } from "./show.js";

const set = (entries: Record<string, Value>): Attrs => new Attrs(new Map(Object.entries(entries)));

function outputs(counter: { n: number }): Value {
  counter.n++;
  const drv = set({ type: "derivation", name: "hello", drvPath: new NixString("/nix/store/aaaa-hello.drv", new Set(["=/nix/store/aaaa-hello.drv"])) });
  return set({
    packages: set({ "x86_64-linux": set({ hello: drv }), "aarch64-linux": set({ hello: drv }) }),
    nixosModules: set({ m: set({}) }),
    lib: new Thunk(() => 1, []),
  });
}

test("cursors record what they evaluate and answer from the cache next time", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-eval-cache-"));
  const db = new EvalCacheDb(path.join(dir, "cache.sqlite"));
  const counter = { n: 0 };
  const valid = new Set(["/nix/store/aaaa-hello.drv"]);
  const mk = () => AttrCursor.root({ cache: { db, fingerprint: "fp" }, rootValue: () => outputs(counter), isValidPath: (p) => valid.has(p) });
  const show = (c: AttrCursor) => showFlakeOutputs(c, "flake", { system: "x86_64-linux", allSystems: false, legacy: false, color: false, warn: () => {} }).lines;
  const c1 = mk();
  const first = show(c1);
  c1.findAlongAttrPath(["packages", "x86_64-linux", "hello", "drvPath"])!.getString();
  assert.deepEqual(first, [
    "flake",
    "├───lib: unknown",
    "├───nixosModules",
    "│   └───m: NixOS module",
    "└───packages",
    "    ├───aarch64-linux",
    "    │   └───hello omitted (use '--all-systems' to show)",
    "    └───x86_64-linux",
    "        └───hello: package 'hello'",
  ]);
  assert.equal(counter.n, 1);
  assert.deepEqual(show(mk()), first);
  assert.equal(counter.n, 1, "answered from the cache");
  const drv = mk().findAlongAttrPath(["packages", "x86_64-linux", "hello", "drvPath"])!;
  assert.equal((drv.getString() as NixString).s, "/nix/store/aaaa-hello.drv");
  assert.equal(counter.n, 1);
  // A cached string whose derivation is gone from the store is evaluated again.
  valid.clear();
  mk().findAlongAttrPath(["packages", "x86_64-linux", "hello", "drvPath"])!.getString();
  assert.equal(counter.n, 2);
  db.close();
  fs.rmSync(dir, { recursive: true });
});

test("a run's rows are written together at close, later ones replacing earlier ones, without blocking other writers meanwhile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-eval-cache-"));
  const file = path.join(dir, "cache.sqlite");
  const first = new EvalCacheDb(file);
  // More rows than one insert statement takes, and one attribute recorded twice.
  for (let i = 0; i < 150; i++) first.put("fp", ["packages", `p${i}`], { t: "int", v: i });
  first.put("fp", ["packages", "p7"], { t: "bool", v: true });
  first.putRendered("fp", "show", "tree");
  first.putLockedSource("path:/x", "stamp", "locked");
  // Another process's run records and finishes while this one is still evaluating.
  const other = new EvalCacheDb(file);
  other.put("fp2", ["a"], { t: "int", v: 1 });
  other.close();
  first.close();
  const again = new EvalCacheDb(file);
  assert.deepEqual(again.get("fp", ["packages", "p149"]), { t: "int", v: 149 });
  assert.deepEqual(again.get("fp", ["packages", "p7"]), { t: "bool", v: true });
  assert.deepEqual(again.get("fp2", ["a"]), { t: "int", v: 1 });
  assert.equal(again.getRendered("fp", "show"), "tree");
  assert.equal(again.getLockedSource("path:/x", "stamp"), "locked");
  assert.equal(again.getLockedSource("path:/x", "other stamp"), undefined);
  again.close();
  fs.rmSync(dir, { recursive: true });
});
