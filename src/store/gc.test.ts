// Tests of garbage collection: roots (direct, indirect via auto/, profiles, temp roots) keep their
// closures; everything else, including leftovers of interrupted adds, is deleted.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { addIndirectRoot, addPermRoot, collectGarbage, deletePaths, findRoots, narToBytes, openLocalStore, type LocalStore } from "./index.js";
import { hasNix, nix, tempDir } from "./test-util.js";

function withStore<T>(fn: (store: LocalStore, root: string) => T): T {
  const root = tempDir();
  const store = openLocalStore(root);
  try {
    return fn(store, root);
  } finally {
    store.close();
  }
}

/** A store with a few small chains of paths: leaf ← mid ← top for each name. */
function chain(store: LocalStore, name: string): { leaf: string; mid: string; top: string } {
  const leaf = store.addText(`${name}-leaf`, `leaf of ${name}`, []);
  const mid = store.addText(`${name}-mid`, `mid ${leaf}`, [leaf]);
  const top = store.addText(`${name}-top`, `top ${mid}`, [mid]);
  return { leaf, mid, top };
}

test("GC keeps rooted closures and deletes the rest", () => {
  withStore((store, root) => {
    const direct = chain(store, "direct");
    const indirect = chain(store, "indirect");
    const profile = chain(store, "profile");
    const garbage = chain(store, "garbage");
    const shared = store.addText("shared-top", `uses ${direct.leaf}`, [direct.leaf]);

    // A direct root, an indirect one through a `result`-style link, a profile generation.
    fs.symlinkSync(direct.top, path.join(store.stateDir, "gcroots", "direct-root"));
    const work = tempDir();
    const result = path.join(work, "result");
    addPermRoot(store, indirect.mid, result);
    assert.equal(fs.readlinkSync(result), indirect.mid);
    const profiles = path.join(store.stateDir, "profiles");
    fs.symlinkSync(profile.top, path.join(profiles, "default-1-link"));
    fs.symlinkSync("default-1-link", path.join(profiles, "default"));

    const roots = findRoots(store).map((r) => r.storePath);
    for (const p of [direct.top, indirect.mid, profile.top]) assert.ok(roots.includes(p), p);

    // Our own temp roots would keep everything we added: collect as another process would.
    store.tempRoots.close();
    const dry = collectGarbage(store, { dryRun: true });
    const expectedDead = [garbage.leaf, garbage.mid, garbage.top, indirect.top, shared].sort();
    assert.deepEqual([...dry.deleted].sort(), expectedDead);
    for (const p of expectedDead) assert.ok(store.isValid(p), "dry run deleted nothing");

    const lines: string[] = [];
    const r = collectGarbage(store, { log: (l) => lines.push(l) });
    assert.deepEqual([...r.deleted].sort(), expectedDead);
    assert.equal(lines.length, expectedDead.length);
    assert.ok(lines.every((l) => /^deleting '\/nix\/store\//.test(l)));
    for (const p of expectedDead) {
      assert.ok(!store.isValid(p), p);
      assert.ok(!fs.existsSync(store.toPhysical(p)), p);
    }
    for (const p of [direct.leaf, direct.mid, direct.top, indirect.leaf, indirect.mid, profile.leaf, profile.top]) {
      assert.ok(store.isValid(p), p);
    }
    assert.deepEqual(store.verify({ checkContents: true }).errors, []);

    // Removing the result link makes its auto root dangle: the next GC drops both.
    fs.rmSync(result);
    collectGarbage(store);
    assert.ok(!store.isValid(indirect.mid));
    assert.deepEqual(fs.readdirSync(path.join(store.stateDir, "gcroots", "auto")), []);
    if (hasNix()) nix("nix-store", ["--store", root, "--verify", "--check-contents"]);
  });
});

test("GC keeps temp roots of live processes and the derivers of live paths", () => {
  withStore((store) => {
    const kept = store.addText("kept", "kept by a temp root", []);
    const drv = store.addText("x.drv", 'Derive([("out","","","")],[],[],"x","/bin/sh",[],[])', []);
    const out = store.addNarToStore(
      narToBytes({ type: "regular", executable: false, contents: Buffer.from("o") }),
      { path: "/nix/store/4444444444444444444444444444444a-out", deriver: drv },
    );
    fs.symlinkSync(out.path, path.join(store.stateDir, "gcroots", "out"));
    store.tempRoots.close();
    // Another, live process (our parent) holding a temp root, and a dead one.
    const tempRootsDir = path.join(store.stateDir, "temproots");
    fs.writeFileSync(path.join(tempRootsDir, `${process.ppid}`), `${kept}\0`);
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    fs.writeFileSync(path.join(tempRootsDir, `${dead}`), `${drv}\0`);
    collectGarbage(store);
    assert.ok(store.isValid(kept), "temp root of a live process");
    assert.ok(store.isValid(out.path) && store.isValid(drv), "deriver of a live path");
    assert.ok(!fs.existsSync(path.join(tempRootsDir, `${dead}`)), "stale temp roots file removed");
    collectGarbage(store, { keepDerivations: false });
    assert.ok(!store.isValid(drv));
  });
});

test("GC removes leftovers of interrupted adds and stale locks, and honours maxFreed", () => {
  withStore((store, root) => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const storeDir = path.join(root, "nix/store");
    const tmp = path.join(storeDir, `.tix-tmp-${dead}-0123`);
    fs.mkdirSync(path.join(tmp, "sub"), { recursive: true });
    fs.chmodSync(path.join(tmp, "sub"), 0o555);
    const live = path.join(storeDir, `.tix-tmp-${process.pid}-4567`);
    fs.mkdirSync(live);
    const unregistered = path.join(storeDir, "5555555555555555555555555555555a-partial");
    fs.writeFileSync(unregistered, "half");
    const staleLock = path.join(storeDir, "6666666666666666666666666666666a-x.lock");
    fs.writeFileSync(staleLock, `tix ${dead}\n`);
    const a = store.addText("a", "a".repeat(10000), []);
    const b = store.addText("b", "b".repeat(10000), []);
    store.tempRoots.close();
    const r = collectGarbage(store, { maxFreed: 1 });
    assert.equal(r.deleted.length, 1, "stops once enough was freed");
    assert.ok(store.isValid(a) !== store.isValid(b));
    collectGarbage(store);
    assert.ok(!store.isValid(a) && !store.isValid(b));
    assert.ok(!fs.existsSync(tmp) && !fs.existsSync(unregistered) && !fs.existsSync(staleLock));
    assert.ok(fs.existsSync(live), "a live process's temp dir stays");
    fs.rmdirSync(live);
  });
});

test("deletePaths refuses live paths unless told to ignore liveness", () => {
  withStore((store) => {
    const c = chain(store, "del");
    store.tempRoots.close();
    fs.symlinkSync(c.mid, path.join(store.stateDir, "gcroots", "r"));
    assert.throws(() => deletePaths(store, [c.leaf]), /still alive/);
    assert.throws(() => deletePaths(store, [c.mid]), /still alive/);
    const r = deletePaths(store, [c.top]);
    assert.deepEqual(r.deleted, [c.top]);
    assert.throws(() => deletePaths(store, [c.leaf], { ignoreLiveness: true }), /referenced by/);
    deletePaths(store, [c.mid, c.leaf], { ignoreLiveness: true });
    assert.ok(!store.isValid(c.mid) && !store.isValid(c.leaf));
  });
});

test("addIndirectRoot names the link by a hash of its location", () => {
  withStore((store) => {
    const p = store.addText("r", "r", []);
    const link = path.join(tempDir(), "result");
    fs.symlinkSync(p, link);
    const auto = addIndirectRoot(store, link);
    assert.equal(path.dirname(auto), path.join(store.stateDir, "gcroots", "auto"));
    assert.match(path.basename(auto), /^[0-9a-z]{32}$/);
    assert.equal(fs.readlinkSync(auto), link);
    assert.equal(addIndirectRoot(store, link), auto);
    assert.deepEqual(
      findRoots(store).map((r) => r.storePath),
      [p],
    );
  });
});

test("indirect roots are followed one hop, as Nix does; directories behind links are not searched", () => {
  withStore((store, root) => {
    const one = store.addText("one-hop", "1", []);
    const two = store.addText("two-hops", "2", []);
    const inDir = store.addText("in-dir", "3", []);
    const work = tempDir();
    // auto → result → store: a root.
    fs.symlinkSync(one, path.join(work, "result"));
    addIndirectRoot(store, path.join(work, "result"));
    // auto → link → other link → store: Nix does not follow the second hop.
    fs.symlinkSync(two, path.join(work, "inner"));
    fs.symlinkSync(path.join(work, "inner"), path.join(work, "outer"));
    addIndirectRoot(store, path.join(work, "outer"));
    // auto → a directory holding a link into the store: not searched (it could be any tree).
    fs.mkdirSync(path.join(work, "tree"));
    fs.symlinkSync(inDir, path.join(work, "tree", "link"));
    addIndirectRoot(store, path.join(work, "tree"));

    const roots = findRoots(store);
    assert.deepEqual(roots.map((r) => r.storePath), [one]);
    assert.equal(roots[0]!.link, path.join(work, "result"));
    if (hasNix()) {
      const theirs = nix("nix-store", ["--store", root, "--gc", "--print-roots"]).stdout;
      assert.equal(theirs, `${path.join(work, "result")} -> ${one}\n`);
    }
  });
});
