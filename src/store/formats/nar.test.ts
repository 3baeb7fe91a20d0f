import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { hashToNix32 } from "./hash.js";
import { NarWriter, narHashAndSizeOfTree, narHashOfTree, narToBytes, parseNar, readNar, writeNar, type NarNode } from "./nar.js";
import { TESTDATA_DIR, testTree } from "./testdata/tree-fixture.js";

// testdata/tree.nar is `nix-store --dump` (Nix 2.8) of testTree() on disk;
// `nix-hash --type sha256 --base32` of that directory:
const TREE_NAR_HASH = "1qjbgz93cs3aj30iy8wfj7v19jcc9vy50qdcgiyrl14i4jg3440s";
const treeNar = (): Buffer => fs.readFileSync(path.join(TESTDATA_DIR, "tree.nar"));

test("NAR of a tree is byte-identical to nix-store --dump", () => {
  assert.deepEqual(Buffer.from(narToBytes(testTree())), treeNar());
});

test("NAR hash of a tree equals nix-hash --type sha256 --base32", () => {
  assert.equal(hashToNix32(narHashOfTree(testTree())), TREE_NAR_HASH);
  assert.equal(narHashAndSizeOfTree(testTree()).size, 3016);
});

test("NAR hashes of single nodes equal nix-hash of the same files", () => {
  // nix-hash --type sha256 --base32 tree/{a.txt,run.sh,link,emptydir,empty,sub}
  const tree = testTree();
  if (tree.type !== "directory") throw new Error("unreachable");
  const expected: Record<string, string> = {
    "a.txt": "04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw",
    "run.sh": "183p8jhjfcpk6kac6hxwp4gzp9brkvkibylz27jfbvgd5kqcq2jy",
    link: "10afhdla3fy4d56mfb7b45i291h74jngwakp16wd3r36m37h0g4d",
    sub: "0dq6sghipisr1mp11zy56h9rdi8f7568hm2a3jx5q0qcrw8r39mx",
    emptydir: "0sjjj9z1dhilhpc8pq4154czrb79z9cm044jvn75kxcjv6v5l2m5",
    empty: "0ip26j2h11n1kgkz36rl4akv694yz65hr72q4kv4b3lxcbi65b3p",
  };
  for (const [name, hash] of Object.entries(expected)) {
    assert.equal(hashToNix32(narHashOfTree(tree.entries.get(name)!)), hash, name);
  }
});

test("the streaming writer gives the same bytes whatever its buffer size", () => {
  for (const bufferSize of [256, 1000, 1 << 20]) {
    const chunks: Uint8Array[] = [];
    writeNar(testTree(), (c) => chunks.push(c), { bufferSize });
    assert.deepEqual(Buffer.concat(chunks), treeNar(), `bufferSize ${bufferSize}`);
  }
});

test("large file contents pass through in one chunk and are not copied", () => {
  const big = new Uint8Array(1 << 20).fill(7);
  const chunks: Uint8Array[] = [];
  writeNar({ type: "regular", executable: false, contents: big }, (c) => chunks.push(c));
  assert.ok(chunks.includes(big));
});

test("parsing the NAR gives back the tree, and re-serialising gives the same bytes", () => {
  const parsed = parseNar(treeNar());
  assert.deepEqual(plain(parsed), plain(testTree()));
  assert.deepEqual(Buffer.from(narToBytes(parsed)), treeNar());
});

/** The tree with contents as plain arrays, so views into a Buffer compare equal to Uint8Arrays. */
function plain(node: NarNode): unknown {
  switch (node.type) {
    case "regular":
      return { ...node, contents: [...node.contents] };
    case "symlink":
      return node;
    case "directory":
      return { type: "directory", entries: new Map([...node.entries].map(([k, v]) => [k, plain(v)])) };
  }
}

test("readNar reports where an embedded NAR ends", () => {
  const nar = treeNar();
  const { end } = readNar(Buffer.concat([Buffer.from("prefix!!"), nar, Buffer.from("suffix")]), 8);
  assert.equal(end, 8 + nar.length);
});

// --- corrupt input ---

function token(s: string | Buffer): Buffer {
  const b = typeof s === "string" ? Buffer.from(s, "latin1") : s;
  const len = Buffer.alloc(8);
  len.writeUInt32LE(b.length);
  return Buffer.concat([len, b, Buffer.alloc((8 - (b.length % 8)) % 8)]);
}
const tokens = (...ts: string[]): Buffer => Buffer.concat(ts.map((t) => token(t)));
const fileNode = (c: string) => tokens("(", "type", "regular", "contents", c, ")");
function dirNar(names: string[]): Buffer {
  const parts = [tokens("nix-archive-1", "(", "type", "directory")];
  for (const n of names) parts.push(tokens("entry", "(", "name", n, "node"), fileNode("x"), tokens(")"));
  parts.push(tokens(")"));
  return Buffer.concat(parts);
}

test("corrupt NARs are rejected with clear errors", () => {
  const good = treeNar();
  const badMagic = Buffer.from(good);
  badMagic[10] = 0x41;
  const badPadding = Buffer.from(good);
  badPadding[8 + 13] = 1; // padding after "nix-archive-1"
  const cases: [Buffer, RegExp][] = [
    [badMagic, /input doesn't look like a Nix archive/],
    [Buffer.from("not a nar at all, really"), /input doesn't look like a Nix archive/],
    [Buffer.alloc(0), /input doesn't look like a Nix archive/],
    [badPadding, /non-zero padding \(at byte 21 of the NAR\)/],
    [good.subarray(0, 1000), /NAR is truncated/],
    [Buffer.concat([good, Buffer.alloc(8)]), /8 bytes of trailing data after the NAR \(at byte 3016\)/],
    [dirNar(["b", "a"]), /NAR directory is not sorted: 'a' comes after 'b'/],
    [dirNar(["B", "a", "A"]), /NAR directory is not sorted: 'A' comes after 'a'/],
    [dirNar(["a", "a"]), /NAR directory contains duplicate entry 'a'/],
    [dirNar(["a/b"]), /NAR contains invalid file name 'a\/b': it contains '\/'/],
    [dirNar([".."]), /NAR contains invalid file name '\.\.'/],
    [dirNar(["."]), /NAR contains invalid file name '\.'/],
    [dirNar([""]), /NAR contains invalid file name '': it is empty/],
    [dirNar(["a\0b"]), /NAR contains invalid file name 'a\\x00b': it contains a NUL byte/],
    [tokens("nix-archive-1", "(", "type", "fifo", ")"), /unknown NAR node type 'fifo'/],
    [tokens("nix-archive-1", "(", "kind", "regular"), /expected 'type' after '\(', found 'kind'/],
    [tokens("nix-archive-1", "(", "type", "regular", "executable", "x"), /'executable' marker .* must be followed by an empty string/],
    [tokens("nix-archive-1", "(", "type", "regular", "contents", "abc"), /NAR is truncated: expected a length field/],
    [tokens("nix-archive-1", "(", "type", "directory", "entri"), /expected 'entry' or '\)' in a directory, found 'entri'/],
    [tokens("nix-archive-1", "(", "type", "symlink", "target", "", ")"), /empty target/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => parseNar(bytes), (e: unknown) => {
      assert.ok(e instanceof Error && e.name === "FormatError", String(e));
      assert.match(e.message, message);
      return true;
    });
  }
});

test("a well-formed hand-made directory NAR parses", () => {
  const node = parseNar(dirNar(["A", "B", "a"]));
  assert.equal(node.type, "directory");
  assert.deepEqual([...(node as Extract<NarNode, { type: "directory" }>).entries.keys()], ["A", "B", "a"]);
});

test("the writer refuses to produce invalid NARs", () => {
  const w = () => new NarWriter(() => {});
  assert.throws(() => writeNar({ type: "directory", entries: new Map([["a/b", { type: "symlink", target: "x" }]]) }, () => {}), /invalid NAR entry name 'a\/b'/);
  assert.throws(() => writeNar({ type: "directory", entries: new Map([["..", { type: "symlink", target: "x" }]]) }, () => {}), /invalid NAR entry name '\.\.'/);
  assert.throws(() => writeNar({ type: "directory", entries: new Map([["\u20ac", { type: "symlink", target: "x" }]]) }, () => {}), /not a byte string/);
  const unsorted = w();
  unsorted.directoryStart();
  unsorted.entryStart("b");
  unsorted.symlink("x");
  unsorted.entryEnd();
  assert.throws(() => unsorted.entryStart("a"), /out of order: 'a' after 'b'/);
  const short = w();
  short.regularStart(false, 10);
  short.contents(new Uint8Array(4));
  assert.throws(() => short.regularEnd(), /6 bytes short/);
  const long = w();
  long.regularStart(false, 1);
  assert.throws(() => long.contents(new Uint8Array(2)), /exceed the declared size/);
  const unfinished = w();
  unfinished.directoryStart();
  assert.throws(() => unfinished.finish(), /before the root node is complete/);
});

test("deeply nested NARs are rejected instead of overflowing the stack", () => {
  const depth = 5000;
  const open = Buffer.concat([tokens("(", "type", "directory", "entry", "(", "name", "d", "node")]);
  const close = tokens(")", ")");
  const parts: Buffer[] = [token("nix-archive-1")];
  for (let i = 0; i < depth; i++) parts.push(open);
  parts.push(tokens("(", "type", "directory", ")"));
  for (let i = 0; i < depth; i++) parts.push(close);
  assert.throws(() => parseNar(Buffer.concat(parts)), /more than 4096 levels deep/);
});

test("contents read straight into the writer (contentsFrom) give the same NAR as contents chunks", () => {
  // Sizes around the buffer (1 KiB here) and a large file; the filler hands out at most 700 bytes
  // at a time, as a short read would.
  const sizes = [0, 1, 7, 8, 1000, 1024, 1025, 3000, 5000];
  const data = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
  const write = (w: NarWriter, direct: boolean): void => {
    w.directoryStart();
    sizes.forEach((n, k) => {
      const bytes = data(n, k);
      w.entryStart(`f${k}`);
      w.regularStart(k % 2 === 1, n);
      if (direct) {
        let at = 0;
        w.contentsFrom(n, (buf, offset, max) => {
          const take = Math.min(max, 700);
          bytes.copy(buf, offset, at, at + take);
          at += take;
          return take;
        });
      } else if (n > 0) {
        w.contents(bytes);
      }
      w.regularEnd();
      w.entryEnd();
    });
    w.directoryEnd();
    w.finish();
  };
  for (const transientChunks of [false, true]) {
    const collect = (direct: boolean): Buffer => {
      const chunks: Buffer[] = [];
      const w = new NarWriter((c) => chunks.push(Buffer.from(c)), { bufferSize: 1024, transientChunks });
      write(w, direct);
      assert.equal(w.size, Buffer.concat(chunks).length);
      return Buffer.concat(chunks);
    };
    assert.deepEqual(collect(true), collect(false), `transientChunks: ${transientChunks}`);
  }
});
