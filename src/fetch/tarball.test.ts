// Tests of the tarball, file and path fetchers: archive formats, top-level stripping, lastModified,
// the download cache over HTTP, narHash checks, and comparisons with Nix's fetchTree.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fetchTree, unpackArchive } from "./index.js";
import { startTestServer } from "./test-server.js";
import { freshDir, oracle, testContext, withSettings, writeFiles } from "./test-support.js";

const root = freshDir("tarball-");
const nix = oracle();

function have(tool: string): boolean {
  return spawnSync(tool, ["--help"], { stdio: "ignore" }).status !== null;
}

function run(cmd: string, args: readonly string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

/** A project tree with known modification times (newest: 1600000000). */
function makeTree(dir: string): void {
  const long = "l".repeat(120);
  writeFiles(dir, {
    "proj-1/a": "a\n",
    "proj-1/d/b": "b\n",
    "proj-1/run.sh": { exec: "#!/bin/sh\n" },
    "proj-1/link": { symlink: "d/b" },
    [`proj-1/${long}/${long}.txt`]: "long\n",
  });
  const t = (p: string, s: number): void => fs.lutimesSync(path.join(dir, p), s, s);
  for (const p of ["proj-1/a", "proj-1/run.sh", "proj-1/link", `proj-1/${long}/${long}.txt`, `proj-1/${long}`]) t(p, 1500000000);
  t("proj-1/d/b", 1600000000);
  t("proj-1/d", 1550000000);
  t("proj-1", 1400000000);
}

const src = path.join(root, "src");
makeTree(src);
const archives: Record<string, string> = {};
for (const [name, args] of [
  ["gnu.tar.gz", ["--format=gnu", "-czf"]],
  ["pax.tar.xz", ["--format=pax", "-cJf"]],
  ["plain.tar", ["--format=gnu", "-cf"]],
  ["bz.tar.bz2", ["--format=gnu", "-cjf"]],
] as const) {
  if (name.endsWith("bz2") && !have("bzip2")) continue;
  run("tar", [...args, path.join(root, name), "proj-1"], src);
  archives[name] = path.join(root, name);
}
if (have("zip")) {
  run("zip", ["-qry", path.join(root, "z.zip"), "proj-1"], src);
  archives["z.zip"] = path.join(root, "z.zip");
}

test("archive formats unpack to the same tree; lastModified is the newest mtime", () => {
  const { ctx } = testContext();
  const results = Object.entries(archives).map(([name, file]) => [name, fetchTree(ctx, { type: "tarball", url: `file://${file}` })] as const);
  const first = results[0][1];
  for (const [name, r] of results) {
    assert.equal(r.narHash, first.narHash, name);
    assert.equal(r.lastModified, 1600000000, name);
    assert.deepEqual(Object.keys(r.locked), ["lastModified", "narHash", "type", "url"]);
  }
  const out = ctx.store.toPhysical(first.storePath);
  assert.equal(fs.readlinkSync(path.join(out, "link")), "d/b");
  assert.ok(fs.statSync(path.join(out, "run.sh")).mode & 0o100);
  if (nix !== null) {
    for (const name of ["gnu.tar.gz", "z.zip"]) {
      if (archives[name] === undefined) continue;
      const o = nix.evalJson(`let r = builtins.fetchTree { type = "tarball"; url = "file://${archives[name]}"; }; in [ r.outPath r.narHash ]`);
      assert.deepEqual(o, [first.storePath, first.narHash], name);
    }
  }
});

test("archives must have exactly one top-level entry", () => {
  writeFiles(src, { "other.txt": "o\n" });
  run("tar", ["-czf", path.join(root, "two.tar.gz"), "proj-1", "other.txt"], src);
  const { ctx } = testContext();
  const url = `file://${root}/two.tar.gz`;
  assert.throws(() => fetchTree(ctx, { type: "tarball", url }), { message: `tarball '${url}' contains an unexpected number of top-level files` });
});

/** A ustar header block plus data for hand-made (hostile) archives. */
function tarEntry(name: string, type: string, data = "", link = ""): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "latin1");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(data.length.toString(8).padStart(11, "0") + "\0", 124);
  h.write("14000000000\0", 136);
  h.write("        ", 148);
  h.write(type, 156);
  h.write(link, 157, "latin1");
  h.write("ustar\x0000", 257, "latin1");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  const body = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  body.write(data, "latin1");
  return Buffer.concat([h, body]);
}

test("hostile archives cannot write outside the destination", () => {
  const cases: [string, Buffer[]][] = [
    ["dotdot", [tarEntry("top/", "5"), tarEntry("top/../../evil", "0", "x")]],
    ["through-symlink", [tarEntry("top/", "5"), tarEntry("top/l", "2", "", "/tmp"), tarEntry("top/l/evil", "0", "x")]],
    ["hardlink-out", [tarEntry("top/", "5"), tarEntry("top/l", "2", "", "/etc"), tarEntry("top/h", "1", "", "top/l/hostname")]],
  ];
  for (const [name, entries] of cases) {
    const file = path.join(root, `${name}.tar`);
    fs.writeFileSync(file, Buffer.concat([...entries, Buffer.alloc(1024)]));
    const dest = path.join(root, `out-${name}`);
    assert.throws(() => unpackArchive(file, dest), /outside the archive|below a non-directory|points to missing/, name);
    assert.ok(!fs.existsSync(path.join(root, "evil")) && !fs.existsSync("/tmp/evil"));
  }
});

test("HTTP downloads are cached, revalidated with the ETag after the TTL, and checked", async () => {
  const www = path.join(root, "www");
  fs.mkdirSync(www, { recursive: true });
  fs.copyFileSync(archives["gnu.tar.gz"], path.join(www, "t.tar.gz"));
  const server = await startTestServer(www);
  try {
    const url = `${server.url}/t.tar.gz`;
    const t0 = testContext();
    const a = fetchTree(t0.ctx, { type: "tarball", url });
    assert.deepEqual(server.requests(), ["GET /t.tar.gz 200"]);
    const b = fetchTree(t0.ctx, { type: "tarball", url });
    assert.equal(b.storePath, a.storePath);
    assert.equal(server.requests().length, 1, "served from the cache within the TTL");
    const expired = withSettings(t0, { tarballTtl: 0 });
    assert.equal(fetchTree(expired.ctx, { type: "tarball", url }).narHash, a.narHash);
    assert.deepEqual(server.requests().slice(1), ["GET /t.tar.gz 304"]);

    const bad = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assert.throws(() => fetchTree(t0.ctx, { type: "tarball", url, narHash: bad }), {
      message: `NAR hash mismatch in input '${url}?narHash=${bad}', expected '${bad}' but got '${a.narHash}'`,
    });
    // A locked tarball already in the store needs no download at all.
    const n = server.requests().length;
    const locked = fetchTree(testContext({}, t0.dir).ctx, { type: "tarball", url: `${server.url}/gone.tar.gz`, narHash: a.narHash });
    assert.equal(locked.storePath, a.storePath);
    assert.equal(server.requests().length, n);

    assert.throws(() => fetchTree(t0.ctx, { type: "tarball", url: `${server.url}/missing.tar.gz` }), {
      message: `unable to download '${server.url}/missing.tar.gz': HTTP error 404 ('Not Found')`,
    });

    // An immutable link becomes the locked URL.
    fs.copyFileSync(archives["gnu.tar.gz"], path.join(www, "latest.tar.gz"));
    fs.writeFileSync(path.join(www, "latest.tar.gz.headers.json"), JSON.stringify({ Link: `<${server.url}/v/1.tar.gz>; rel="immutable"` }));
    const imm = fetchTree(t0.ctx, { type: "tarball", url: `${server.url}/latest.tar.gz` });
    assert.equal(imm.locked.url, `${server.url}/v/1.tar.gz`);

    // `file` inputs are not unpacked.
    const f = fetchTree(t0.ctx, { type: "file", url });
    assert.deepEqual(fs.readFileSync(t0.ctx.store.toPhysical(f.storePath)), fs.readFileSync(archives["gnu.tar.gz"]));
    assert.deepEqual(Object.keys(f.locked), ["narHash", "type", "url"]);
  } finally {
    server.stop();
  }
});

test("path inputs: the whole tree, lastModified = newest mtime, as Nix locks them", () => {
  const p = path.join(root, "src", "proj-1");
  const { ctx } = testContext();
  const t = fetchTree(ctx, { type: "path", path: p });
  assert.equal(t.lastModified, 1600000000);
  assert.deepEqual(Object.keys(t.locked), ["lastModified", "narHash", "path", "type"]);
  if (nix !== null) {
    const o = nix.evalJson(`let r = builtins.fetchTree { type = "path"; path = "${p}"; }; in [ r.outPath r.narHash r.lastModified ]`);
    assert.deepEqual(o, [t.storePath, t.narHash, t.lastModified]);
  }
  assert.throws(() => fetchTree(ctx, { type: "path", path: "relative" }), /is not absolute/);
  assert.throws(() => fetchTree(ctx, { type: "hg", url: "x" }), /input '.*' is unsupported/);
});
