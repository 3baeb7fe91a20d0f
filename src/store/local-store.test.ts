// Tests of the local store: adding paths, metadata that real Nix reads back, atomicity and locks,
// NAR import, verification and deletion.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import {
  FormatError,
  dumpPath,
  hashToSri,
  narFromFileSystem,
  narToBytes,
  openLocalStore,
  parseHash,
  StoreError,
  type LocalStore,
} from "./index.js";
import { hasNix, nix, tempDir, writeTree } from "./test-util.js";

const here = path.dirname(fileURLToPath(import.meta.url));

function withStore<T>(fn: (store: LocalStore, root: string) => T, root = tempDir()): T {
  const store = openLocalStore(root);
  try {
    return fn(store, root);
  } finally {
    store.close();
  }
}

function narOf(p: string): Buffer {
  const chunks: Uint8Array[] = [];
  dumpPath(p, (c) => chunks.push(c));
  return Buffer.concat(chunks);
}

function listStore(root: string): string[] {
  return fs.readdirSync(path.join(root, "nix/store")).sort();
}

const SAMPLE = {
  "a.txt": "hello\n",
  bin: { run: ["exec", "#!/bin/sh\necho hi\n"] as ["exec", string] },
  link: ["symlink", "a.txt"] as ["symlink", string],
  empty: {},
};

test("addPath (recursive and flat) gives the paths and metadata Nix gives", () => {
  const src = writeTree(path.join(tempDir(), "sample"), SAMPLE);
  const file = path.join(src, "a.txt");
  withStore((store, root) => {
    const dir = store.addPath(src, "sample");
    const flat = store.addPath(file, "a.txt", { recursive: false });
    const rec = store.addPath(file, "a.txt");
    const text = store.addText("note", "some text", [dir]);
    assert.notEqual(flat, rec);
    for (const p of [dir, flat, rec, text]) assert.ok(store.isValid(p), p);
    const info = store.requirePathInfo(text);
    assert.deepEqual(info.references, [dir]);
    assert.match(info.ca!, /^text:sha256:/);
    assert.match(store.requirePathInfo(flat).ca!, /^fixed:sha256:/);
    assert.match(store.requirePathInfo(dir).ca!, /^fixed:r:sha256:/);
    assert.deepEqual(store.queryReferrers(dir), [text]);
    assert.deepEqual(store.closure([text]), [dir, text].sort());

    // On-disk normalisation.
    const phys = store.toPhysical(dir);
    assert.equal(fs.statSync(phys).mode & 0o7777, 0o555);
    assert.equal(fs.statSync(path.join(phys, "a.txt")).mode & 0o7777, 0o444);
    assert.equal(fs.statSync(path.join(phys, "bin/run")).mode & 0o7777, 0o555);
    assert.equal(fs.lstatSync(path.join(phys, "link")).mtimeMs, 1000);
    assert.equal(fs.statSync(path.join(phys, "empty")).mtimeMs, 1000);
    assert.equal(fs.statSync(store.toPhysical(flat)).mode & 0o7777, 0o444);

    // Adding again is a no-op returning the same path.
    assert.equal(store.addPath(src, "sample"), dir);
    assert.deepEqual(listStore(root).filter((n) => !n.startsWith(".")).length, 4);

    if (!hasNix()) return;
    // Real Nix computes the same paths from the same sources…
    const oracleRoot = tempDir();
    assert.equal(nix("nix-store", ["--store", oracleRoot, "--add", src]).stdout.trim(), dir);
    assert.equal(nix("nix", ["store", "add-file", "--store", oracleRoot, file]).stdout.trim(), flat);
    // …and reads our metadata as we wrote it.
    const json = JSON.parse(nix("nix", ["path-info", "--store", root, "--json", dir, flat, rec, text]).stdout) as {
      path: string;
      narHash: string;
      narSize: number;
      references: string[];
      ca?: string;
    }[];
    for (const entry of json) {
      const ours = store.requirePathInfo(entry.path);
      assert.equal(entry.narHash, hashToSri(ours.narHash), entry.path);
      assert.equal(entry.narSize, ours.narSize);
      assert.deepEqual(entry.references, ours.references);
      assert.equal(entry.ca, ours.ca ?? undefined);
    }
    nix("nix-store", ["--store", root, "--verify", "--check-contents"]);
    const refs = nix("nix-store", ["--store", root, "--query", "--references", text]).stdout.trim();
    assert.equal(refs, dir);
  });
});

test("a filter leaves entries out; expectedHash is checked", () => {
  const src = writeTree(path.join(tempDir(), "filtered"), SAMPLE);
  withStore((store) => {
    const p = store.addPath(src, "filtered", { recursive: true, filter: (f) => !f.endsWith("/bin") });
    assert.ok(!fs.existsSync(path.join(store.toPhysical(p), "bin")));
    assert.ok(fs.existsSync(path.join(store.toPhysical(p), "a.txt")));
    const { narHash } = narFromFileSystem(src);
    assert.equal(store.addPath(src, "x", { recursive: true, expectedHash: hashToSri(narHash) }), store.addPath(src, "x"));
    assert.throws(() => store.addPath(src, "y", { recursive: true, expectedHash: "sha256-" + "A".repeat(43) + "=" }), /hash mismatch/);
    assert.throws(() => store.addPath(path.join(src, "nope"), "z"), (e: Error) => e instanceof StoreError && /No such file/.test(e.message));
    assert.throws(() => store.addPath(src, "flat-dir", { recursive: false }), /not a regular file/);
  });
});

test("a tree is copied the same whether it is held in memory or written to disk as it is read", () => {
  const weird = Buffer.from([0x66, 0xff, 0x80, 0x2e, 0x62]); // not UTF-8
  const src = writeTree(path.join(tempDir(), "tree"), {
    ...SAMPLE,
    big: "x".repeat(3 * 1024 * 1024 + 3),
    deep: { er: { still: { "f.sh": ["exec", "#!/bin/sh\n"], ".hidden": "" } } },
    dangling: ["symlink", "/nowhere/at/all"],
  });
  fs.writeFileSync(Buffer.concat([Buffer.from(src + "/"), weird]), "odd name\n");
  const expected = narOf(src);
  const stores = [0, 1024, 1 << 30].map((budget) => {
    const root = tempDir();
    const store = openLocalStore(root, { ingestMemoryBudget: budget });
    try {
      const p = store.addPath(src, "tree");
      const phys = store.toPhysical(p);
      assert.ok(narOf(phys).equals(expected), `budget ${budget}: the copy's NAR is the source's`);
      assert.equal(fs.statSync(phys).mode & 0o7777, 0o555);
      assert.equal(fs.statSync(path.join(phys, "deep/er/still/f.sh")).mode & 0o7777, 0o555);
      assert.equal(fs.statSync(path.join(phys, "deep/er/still/.hidden")).mode & 0o7777, 0o444);
      assert.equal(fs.statSync(path.join(phys, "big")).mtimeMs, 1000);
      assert.equal(fs.lstatSync(path.join(phys, "dangling")).mtimeMs, 1000);
      assert.equal(fs.statSync(path.join(phys, "deep")).mtimeMs, 1000);
      // Expected hashes in another algorithm are checked in the same walk.
      const sha512 = narFromFileSystem(src, { algo: "sha512" }).narHash;
      assert.equal(store.addPath(src, "tree", { expectedHash: hashToSri(sha512) }), p);
      assert.throws(() => store.addPath(src, "other", { expectedHash: "sha1-" + "A".repeat(27) + "=" }), /hash mismatch/);
      // Adding again creates nothing, not even a temporary copy.
      const before = listStore(root);
      assert.equal(store.addPath(src, "tree"), p);
      assert.deepEqual(listStore(root), before);
      assert.ok(!before.some((n) => n.startsWith(".tix-tmp")), "no temporary copies left behind");
      return { p, info: store.requirePathInfo(p) };
    } finally {
      store.close();
    }
  });
  for (const s of stores.slice(1)) {
    assert.equal(s.p, stores[0]!.p);
    assert.deepEqual({ ...s.info, registrationTime: 0 }, { ...stores[0]!.info, registrationTime: 0 });
  }
  if (hasNix()) assert.equal(nix("nix-store", ["--store", tempDir(), "--add", src]).stdout.trim(), stores[0]!.p);
});

test("a file added flat is copied the same whether it is held in memory or written to disk as it is read", () => {
  const dir = tempDir();
  const file = path.join(dir, "tool.sh");
  fs.writeFileSync(file, "#!/bin/sh\n" + "echo hi\n".repeat(200_000), { mode: 0o755 });
  fs.symlinkSync("tool.sh", path.join(dir, "link"));
  const results = [0, 1 << 30].map((budget) => {
    const store = openLocalStore(tempDir(), { ingestMemoryBudget: budget });
    try {
      const p = store.addPath(file, "tool.sh", { recursive: false });
      // A symlink is followed; the executable bit is not part of a flat add.
      assert.equal(store.addPath(path.join(dir, "link"), "tool.sh", { recursive: false }), p);
      const phys = store.toPhysical(p);
      assert.ok(fs.readFileSync(phys).equals(fs.readFileSync(file)));
      assert.equal(fs.statSync(phys).mode & 0o7777, 0o444);
      assert.equal(fs.statSync(phys).mtimeMs, 1000);
      const sha1 = createHash("sha1").update(fs.readFileSync(file)).digest("base64");
      assert.equal(store.addPath(file, "tool.sh", { recursive: false, expectedHash: `sha1-${sha1}` }), p);
      assert.throws(() => store.addPath(file, "x", { recursive: false, expectedHash: "sha1-" + "A".repeat(27) + "=" }), /hash mismatch/);
      const info = store.requirePathInfo(p);
      assert.ok(narOf(phys).length === info.narSize);
      return { p, info: { ...info, registrationTime: 0 } };
    } finally {
      store.close();
    }
  });
  assert.deepEqual(results[1], results[0]);
  if (hasNix()) assert.equal(nix("nix", ["store", "add-file", "--store", tempDir(), file]).stdout.trim(), results[0]!.p);
});

test("a tree larger than the memory budget is read once when its name is new to the store, and a failed copy is removed", () => {
  const src = writeTree(path.join(tempDir(), "tree"), { ...SAMPLE, big: "y".repeat(64 * 1024), sub: { c: "c", d: "d" } });
  const root = tempDir();
  const store = openLocalStore(root, { ingestMemoryBudget: 1024 });
  try {
    const seen: string[] = [];
    const p = store.addPath(src, "tree", { recursive: true, filter: (f) => (seen.push(f), true) });
    assert.equal(new Set(seen).size, seen.length, "the filter saw every entry once");
    assert.ok(narOf(store.toPhysical(p)).equals(narOf(src)));
    // A path named "tree" is valid now, so adding it again hashes first and writes nothing.
    const before = listStore(root);
    seen.length = 0;
    assert.equal(store.addPath(src, "tree", { recursive: true, filter: (f) => (seen.push(f), true) }), p);
    assert.deepEqual(listStore(root), before);
    assert.equal(new Set(seen).size, seen.length, "an already-valid path is read once");
    // A changed tree of a known name is hashed, then read a second time to copy it.
    fs.writeFileSync(path.join(src, "sub/c"), "changed");
    seen.length = 0;
    const changed = store.addPath(src, "tree", { recursive: true, filter: (f) => (seen.push(f), true) });
    assert.notEqual(changed, p);
    assert.equal(seen.length, 2 * new Set(seen).size, "the filter saw every entry twice");
    assert.ok(narOf(store.toPhysical(changed)).equals(narOf(src)));
    // A walk that fails after the copy reached the disk leaves no temporary copy behind.
    let n = 0;
    const failing = (f: string): boolean => {
      if (++n > 6 && f.endsWith("/d")) throw new Error("filter gave up");
      return true;
    };
    assert.throws(() => store.addPath(src, "failed", { recursive: true, filter: failing }), /filter gave up/);
    assert.deepEqual(listStore(root).filter((n) => n.startsWith(".tix-tmp") || n.endsWith("-failed")), []);
    // So does a hash mismatch found at the end of the walk.
    assert.throws(() => store.addPath(src, "y", { recursive: true, expectedHash: "sha256-" + "A".repeat(43) + "=" }), /hash mismatch/);
    assert.deepEqual(listStore(root).filter((n) => n.startsWith(".tix-tmp") || n.endsWith("-y")), []);
  } finally {
    store.close();
  }
});

test("a .drv added as text records its outputs; readText reads it back", () => {
  withStore((store) => {
    const dep = store.addText("dep", "x", []);
    const drvText =
      `Derive([("out","/nix/store/77y3629w8mza2yxxqdx0ysvrsnyizrv5-d","","")],[],["${dep}"],"x86_64-linux","/bin/sh",[],` +
      `[("builder","/bin/sh"),("name","d"),("out","/nix/store/77y3629w8mza2yxxqdx0ysvrsnyizrv5-d"),("system","x86_64-linux")])`;
    const drv = store.addText("d.drv", drvText, [dep]);
    assert.deepEqual([...store.queryDerivationOutputs(drv)], [["out", "/nix/store/77y3629w8mza2yxxqdx0ysvrsnyizrv5-d"]]);
    assert.deepEqual(store.queryValidDerivers("/nix/store/77y3629w8mza2yxxqdx0ysvrsnyizrv5-d"), [drv]);
    assert.equal(store.readText(drv), drvText);
  });
});

test("a store populated by Nix is read by tix", { skip: !hasNix() }, () => {
  const root = tempDir();
  const src = writeTree(path.join(tempDir(), "from-nix"), SAMPLE);
  const p = nix("nix-store", ["--store", root, "--add", src]).stdout.trim();
  const t = nix("nix-instantiate", ["--store", root, "-E", 'derivation { name = "t"; system = "x"; builder = "/bin/sh"; }'], {
    allowFail: true,
  });
  withStore((store) => {
    const info = store.requirePathInfo(p);
    assert.equal(hashToSri(info.narHash), hashToSri(narFromFileSystem(src).narHash));
    assert.equal(store.addPath(src, "from-nix"), p);
    if (t.status === 0) {
      const drv = t.stdout.trim();
      assert.ok(store.isValid(drv));
      assert.equal(store.queryDerivationOutputs(drv).size, 1);
    }
    assert.deepEqual(store.verify({ checkContents: true }).errors, []);
    // And what tix adds next to it is still fine for Nix.
    store.addText("after", "tix was here", [p]);
  }, root);
  nix("nix-store", ["--store", root, "--verify", "--check-contents"]);
});

test("addNarToStore imports a NAR; corrupt NARs are refused and leave the store unchanged", () => {
  const src = writeTree(path.join(tempDir(), "nar-src"), SAMPLE);
  const nar = narOf(src);
  withStore((store, root) => {
    const keep = store.addText("keep", "k", []);
    const before = listStore(root);
    const validBefore = store.queryAllValidPaths();
    const corruptions: [string, Buffer][] = [
      ["truncated", nar.subarray(0, nar.length - 20)],
      ["not a NAR", Buffer.from("this is not a nar archive at all, sorry")],
      ["bad token", Buffer.from(nar.toString("latin1").replace("contents", "kontents"), "latin1")],
      ["trailing data", Buffer.concat([nar, Buffer.alloc(8)])],
    ];
    for (const [what, bytes] of corruptions) {
      assert.throws(() => store.addNarToStore(bytes, { name: "imported" }), FormatError, what);
      assert.deepEqual(listStore(root), before, what);
      assert.deepEqual(store.queryAllValidPaths(), validBefore, what);
    }
    const { narHash, narSize } = narFromFileSystem(src);
    const wrongHash = parseHash("sha256-" + "B".repeat(43) + "=");
    assert.throws(() => store.addNarToStore(nar, { name: "imported", narHash: wrongHash }), /hash mismatch importing path/);
    assert.deepEqual(listStore(root), before);

    const info = store.addNarToStore(nar, { name: "imported", narHash, narSize, references: [keep] });
    assert.ok(store.isValid(info.path));
    assert.deepEqual(info.references, [keep]);
    assert.equal(hashToSri(store.hashPathOnDisk(info.path).narHash), hashToSri(narHash));
    // An input-addressed path given explicitly, fed in chunks.
    const ia = "/nix/store/0000000000000000000000000000000a-ia";
    const got = store.addNarToStore(
      (sink) => {
        for (let i = 0; i < nar.length; i += 7) sink(nar.subarray(i, i + 7));
      },
      { path: ia, narHash, deriver: "/nix/store/0000000000000000000000000000000b-ia.drv" },
    );
    assert.equal(got.path, ia);
    assert.equal(store.requirePathInfo(ia).deriver, "/nix/store/0000000000000000000000000000000b-ia.drv");
  });
});

test("a crashed add leaves nothing valid, and the next add replaces the leftover", () => {
  const src = writeTree(path.join(tempDir(), "crash"), SAMPLE);
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
  withStore((store, root) => {
    // What the add would produce, computed on a scratch store.
    const expected = withStore((s) => s.addPath(src, "crash"));
    const phys = store.toPhysical(expected);
    // A half-written copy at the final location (renamed, never registered), a stale lock of a
    // dead process, and a temp dir of a dead process.
    fs.mkdirSync(phys);
    fs.writeFileSync(path.join(phys, "a.txt"), "partial");
    fs.writeFileSync(`${phys}.lock`, `tix ${dead}\n`);
    const tmp = path.join(root, "nix/store", `.tix-tmp-${dead}-abcdef`);
    fs.mkdirSync(tmp);
    fs.writeFileSync(path.join(tmp, "junk"), "junk");
    assert.equal(store.isValid(expected), false);

    assert.equal(store.addPath(src, "crash"), expected);
    assert.deepEqual(store.verify({ checkContents: true }).errors, []);
    assert.equal(fs.readFileSync(path.join(phys, "a.txt"), "utf8"), "hello\n");
    assert.ok(!fs.existsSync(`${phys}.lock`));
    if (hasNix()) nix("nix-store", ["--store", root, "--verify", "--check-contents"]);
  });
});

test("concurrent adds of the same path from two processes", async () => {
  const dir = tempDir();
  const src = path.join(dir, "big");
  const spec: Record<string, string> = {};
  for (let i = 0; i < 40; i++) spec[`f${i}`] = `file ${i}\n`.repeat(20000);
  writeTree(src, spec);
  const root = path.join(dir, "store");
  const script = path.join(dir, "add.mjs");
  fs.writeFileSync(
    script,
    `import { openLocalStore } from ${JSON.stringify(path.join(here, "index.js"))};\n` +
      `const s = openLocalStore(process.argv[2]);\n` +
      `for (let i = 0; i < 3; i++) process.stdout.write(s.addPath(process.argv[3], "big") + "\\n");\n` +
      `process.stdout.write(s.addText("t", "same text", []) + "\\n");\n` +
      `s.close();\n`,
  );
  openLocalStore(root).close(); // create the DB first, as both would race to create it
  const run = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, root, src], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a, b);
  withStore((store) => {
    const paths = [...new Set(a.trim().split("\n"))];
    assert.equal(paths.length, 2);
    for (const p of paths) assert.ok(store.isValid(p));
    assert.deepEqual(store.verify({ checkContents: true }).errors, []);
    assert.deepEqual(
      fs.readdirSync(store.realStoreDir).filter((n) => n !== ".links").sort(),
      paths.map((p) => path.basename(p)).sort(),
    );
  }, root);
});

test("verify reports modified and missing paths", () => {
  withStore((store) => {
    const a = store.addText("a", "aaa", []);
    const b = store.addText("b", "bbb", [a]);
    const c = store.addText("c", "ccc", []);
    assert.deepEqual(store.verify({ checkContents: true }).errors, []);
    const pb = store.toPhysical(b);
    fs.chmodSync(pb, 0o644);
    fs.writeFileSync(pb, "changed");
    const errs = store.verify({ checkContents: true }).errors;
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /was modified/);
    // A missing path with a referrer is an error; one without is dropped from the database.
    fs.rmSync(store.toPhysical(a));
    fs.rmSync(store.toPhysical(c));
    const errs2 = store.verify().errors;
    assert.deepEqual(errs2, [`path '${a}' disappeared, but it still has valid referrers!`]);
    assert.equal(store.isValid(c), false);
    // A content-address assertion that does not match the path.
    const liar = "/nix/store/7777777777777777777777777777777a-liar";
    store.addNarToStore(narToBytes({ type: "regular", executable: false, contents: Buffer.from("x") }), {
      path: liar,
      ca: "fixed:r:sha256:1hz895vkrd9mfbmk89rj4i3ax1g1m3sbr4pqdwfa84bzbij5l27n",
    });
    assert.match(store.verify({ paths: [liar] }).errors.join("\n"), /claims to be content-addressed/);
  });
});

test("deletePath refuses referenced paths; registerValidPaths registers outputs in place", () => {
  withStore((store) => {
    const a = store.addText("a", "aaa", []);
    const b = store.addText("b", `refers to ${a}`, [a]);
    assert.throws(() => store.deletePath(a), /in use by/);
    store.deletePath(b);
    assert.ok(!store.isValid(b) && !fs.existsSync(store.toPhysical(b)));
    store.deletePath(a);
    assert.ok(!store.isValid(a));

    // A "build output" written in place, referring to another path.
    const dep = store.addText("dep", "dep", []);
    const out = "/nix/store/1111111111111111111111111111111a-out";
    const lock = store.lockPath(out)!;
    try {
      const phys = store.toPhysical(out);
      fs.mkdirSync(phys);
      fs.writeFileSync(path.join(phys, "f"), `uses ${dep} and itself ${out}`);
      const refs = store.scanReferences(phys, [dep, out, a]);
      assert.deepEqual(refs, [dep, out].sort());
      store.canonicalisePath(out);
      const { narHash, narSize } = store.hashPathOnDisk(out);
      store.registerValidPaths([{ path: out, narHash, narSize, references: refs, ultimate: true }]);
    } finally {
      lock.release();
    }
    const info = store.requirePathInfo(out);
    assert.equal(info.ultimate, true);
    assert.deepEqual(info.references, [dep, out].sort());
    assert.throws(
      () => store.registerValidPaths([{ path: "/nix/store/2222222222222222222222222222222a-x", narHash: info.narHash, narSize: 1 }]),
      /does not exist/,
    );
  });
});

test("the lock of a path excludes a second holder until released", () => {
  withStore((store) => {
    const p = "/nix/store/3333333333333333333333333333333a-locked";
    const l1 = store.lockPath(p)!;
    assert.equal(store.lockPath(p, false), null);
    l1.release();
    const l2 = store.lockPath(p, false);
    assert.ok(l2 !== null);
    l2.release();
  });
});

test("the schema files and tables are those of Nix's local store", () => {
  withStore((store, root) => {
    const db = path.join(root, "nix/var/nix/db");
    const tables = () =>
      store.db.db
        .prepare<[], { name: string }>("select name from sqlite_master where type = 'table' order by name")
        .all()
        .map((r) => r.name);
    assert.equal(fs.readFileSync(path.join(db, "schema"), "utf8"), "10");
    for (const t of ["DerivationOutputs", "Refs", "ValidPaths"]) assert.ok(tables().includes(t), t);
    assert.equal(store.db.db.pragma("journal_mode", { simple: true }), "wal");
    // As with Nix without `ca-derivations`: no content-addressed-derivation tables until needed.
    assert.equal(fs.existsSync(path.join(db, "ca-schema")), false);
    assert.equal(tables().includes("Realisations"), false);
    assert.equal(store.queryRealisation("sha256:00", "out"), null);
    const out = store.addText("realised", "x", []);
    const realisation = { drvHash: "sha256:1111", outputName: "out", outPath: out, signatures: [] };
    store.registerRealisation(realisation);
    assert.equal(fs.readFileSync(path.join(db, "ca-schema"), "utf8"), "3");
    for (const t of ["Realisations", "RealisationsRefs"]) assert.ok(tables().includes(t), t);
    assert.deepEqual(store.queryRealisation("sha256:1111", "out"), realisation);
  });
});
