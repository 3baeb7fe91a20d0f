import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hashToNix32 } from "./hash.js";
import { narHashOfTree, type NarNode } from "./nar.js";
import { dumpPath, hashFileContents, narFromFileSystem } from "./nar-fs.js";
import { TESTDATA_DIR, testTree, writeTree } from "./testdata/tree-fixture.js";

function withTree<T>(f: (root: string) => T): T {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nar-"));
  try {
    const root = path.join(tmp, "tree");
    writeTree(testTree(), Buffer.from(root));
    return f(root);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test("dumping a directory from disk is byte-identical to nix-store --dump", () => {
  withTree((root) => {
    const chunks: Uint8Array[] = [];
    const size = dumpPath(root, (c) => chunks.push(c));
    const expected = fs.readFileSync(path.join(TESTDATA_DIR, "tree.nar"));
    assert.deepEqual(Buffer.concat(chunks), expected);
    assert.equal(size, expected.length);
  });
});

test("narFromFileSystem hashes like nix-hash --type sha256 --base32", () => {
  withTree((root) => {
    const { narHash, narSize } = narFromFileSystem(root);
    assert.equal(hashToNix32(narHash), "1qjbgz93cs3aj30iy8wfj7v19jcc9vy50qdcgiyrl14i4jg3440s");
    assert.equal(narSize, 3016);
    // Single file, executable, symlink at the root (nix-hash of those paths).
    assert.equal(hashToNix32(narFromFileSystem(path.join(root, "a.txt")).narHash), "04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw");
    assert.equal(hashToNix32(narFromFileSystem(path.join(root, "run.sh")).narHash), "183p8jhjfcpk6kac6hxwp4gzp9brkvkibylz27jfbvgd5kqcq2jy");
    assert.equal(hashToNix32(narFromFileSystem(path.join(root, "link")).narHash), "10afhdla3fy4d56mfb7b45i291h74jngwakp16wd3r36m37h0g4d");
  });
});

test("a filter sees absolute paths with types and drops rejected subtrees", () => {
  withTree((root) => {
    const seen: string[] = [];
    const { narHash } = narFromFileSystem(root, {
      filter: (p, type) => {
        seen.push(`${path.relative(root, p)}:${type}`);
        return !p.endsWith("/sub");
      },
    });
    assert.ok(seen.includes("sub:directory") && seen.includes("link:symlink") && seen.includes("a.txt:regular"));
    assert.ok(!seen.some((s) => s.startsWith("sub/")));
    const tree = testTree();
    if (tree.type !== "directory") throw new Error("unreachable");
    const pruned: NarNode = { type: "directory", entries: new Map([...tree.entries].filter(([name]) => name !== "sub")) };
    assert.deepEqual(narHash, narHashOfTree(pruned));
  });
});

test("large files stream through in chunks with the same hash as nix-hash", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nar-"));
  try {
    const big = path.join(tmp, "big");
    // 3 MiB + 5 bytes of a repeating pattern; verified against the tree writer on the same bytes.
    const data = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131) & 0xff;
    fs.writeFileSync(big, data);
    const chunks: Uint8Array[] = [];
    dumpPath(big, (c) => chunks.push(c));
    const { narHash } = narFromFileSystem(big);
    assert.equal(Buffer.from(narHash.bytes).toString("hex"), createHash("sha256").update(Buffer.concat(chunks)).digest("hex"));
    assert.equal(hashToNix32(hashFileContents(big)), hashToNix32({ algo: "sha256", bytes: createHash("sha256").update(data).digest() }));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("names that are not UTF-8, under a root whose name is not ASCII, are archived byte for byte", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nar-"));
  try {
    const root = path.join(tmp, "räk");
    fs.mkdirSync(root);
    // 0xff alone is not UTF-8; 0xc3 0xa9 is "é"; they must sort as bytes ("Z" < "é" < 0xff).
    const rawRoot = Buffer.from(root);
    const named = (name: string): Buffer => Buffer.concat([rawRoot, Buffer.from("/"), Buffer.from(name, "latin1")]);
    fs.writeFileSync(named("\xff"), "ff");
    fs.writeFileSync(named("\xc3\xa9"), "e");
    fs.writeFileSync(named("Z"), "z", { mode: 0o755 });
    fs.chmodSync(named("Z"), 0o755);
    fs.symlinkSync(Buffer.from("\xff", "latin1"), named("l\xfe"));
    const expected: NarNode = {
      type: "directory",
      entries: new Map<string, NarNode>([
        ["\xff", { type: "regular", executable: false, contents: new Uint8Array(Buffer.from("ff")) }],
        ["\xc3\xa9", { type: "regular", executable: false, contents: new Uint8Array(Buffer.from("e")) }],
        ["Z", { type: "regular", executable: true, contents: new Uint8Array(Buffer.from("z")) }],
        ["l\xfe", { type: "symlink", target: "\xff" }],
      ]),
    };
    assert.deepEqual(narFromFileSystem(root).narHash, narHashOfTree(expected));
    assert.deepEqual(narFromFileSystem(rawRoot).narHash, narHashOfTree(expected));
    const seen: string[] = [];
    narFromFileSystem(root, { filter: (p) => (seen.push(p), true) });
    assert.deepEqual(seen, ["Z", "l\xfe", "\xc3\xa9", "\xff"].map((n) => rawRoot.toString("latin1") + "/" + n));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("a FIFO in the tree is refused by type, never opened (opening one would block)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nar-"));
  try {
    fs.writeFileSync(path.join(tmp, "ok"), "x");
    execFileSync("mkfifo", [path.join(tmp, "pipe")]);
    assert.throws(() => narFromFileSystem(tmp), /file '.*\/pipe' has an unsupported type/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
