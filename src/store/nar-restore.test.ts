// Tests of unpacking NARs onto disk: round trips with any chunking, canonical metadata, and
// strict rejection of malformed archives.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FormatError, NarRestorer, StoreError, dumpPath, narToBytes, restoreNarBytes, type NarNode } from "./index.js";
import { tempDir, writeTree } from "./test-util.js";

function narOf(p: string | Buffer): Buffer {
  const chunks: Uint8Array[] = [];
  dumpPath(p, (c) => chunks.push(c));
  return Buffer.concat(chunks);
}

test("restoring a NAR reproduces the tree, whatever the chunk sizes", () => {
  const tree = (big: number): string =>
    writeTree(path.join(tempDir(), "src"), {
      "a.txt": "hello\n",
      big: "x".repeat(big),
      d: { e: { f: ["exec", "#!/bin/sh\n"] }, empty: {} },
      l: ["symlink", "../somewhere/else"],
    });
  const small = narOf(tree(70_000));
  const large = narOf(tree(2 * 1024 * 1024 + 5));
  for (const [nar, size] of [[small, 1], [small, 7], [large, 8192], [large, 100_000], [large, large.length]] as const) {
    const dest = path.join(tempDir(), "out");
    const r = new NarRestorer(dest);
    for (let i = 0; i < nar.length; i += size) r.push(nar.subarray(i, i + size));
    r.end();
    assert.equal(r.size, nar.length);
    assert.ok(narOf(dest).equals(nar), `chunk size ${size}`);
  }
});

test("non-UTF-8 names and single files and symlinks at the root", () => {
  const weird = Buffer.from([0x66, 0xff, 0x80, 0x2e, 0x62]).toString("latin1");
  const tree: NarNode = {
    type: "directory",
    entries: new Map<string, NarNode>([[weird, { type: "regular", executable: false, contents: Buffer.from("w") }]]),
  };
  const dir = tempDir();
  restoreNarBytes(narToBytes(tree), path.join(dir, "t"));
  assert.deepEqual(fs.readdirSync(path.join(dir, "t"), { encoding: "buffer" }), [Buffer.from(weird, "latin1")]);
  restoreNarBytes(narToBytes({ type: "regular", executable: true, contents: Buffer.from("#!") }), path.join(dir, "f"));
  assert.equal(fs.statSync(path.join(dir, "f")).mode & 0o111, 0o111);
  restoreNarBytes(narToBytes({ type: "symlink", target: "/x" }), path.join(dir, "s"));
  assert.equal(fs.readlinkSync(path.join(dir, "s")), "/x");
});

test("canonical restores get the store's permissions and times", () => {
  const src = writeTree(path.join(tempDir(), "src"), { f: "f", x: ["exec", "x"], d: { g: "g" }, l: ["symlink", "f"] });
  const dest = path.join(tempDir(), "c");
  restoreNarBytes(narOf(src), dest, { canonical: true });
  const mode = (p: string): number => fs.lstatSync(path.join(dest, p)).mode & 0o7777;
  assert.equal(mode(""), 0o555);
  assert.equal(mode("f"), 0o444);
  assert.equal(mode("x"), 0o555);
  assert.equal(mode("d"), 0o555);
  for (const p of ["", "f", "x", "d", "d/g", "l"]) assert.equal(fs.lstatSync(path.join(dest, p)).mtimeMs, 1000, p);
});

test("malformed NARs are rejected with a position", () => {
  const good = narToBytes({
    type: "directory",
    entries: new Map<string, NarNode>([
      ["a", { type: "regular", executable: false, contents: Buffer.from("1") }],
      ["b", { type: "regular", executable: false, contents: Buffer.from("2") }],
    ]),
  });
  const swapNames = Buffer.from(good);
  // Make the entries unsorted: rename "a" to "c".
  const at = swapNames.indexOf(Buffer.from("name\0\0\0\0\x01\0\0\0\0\0\0\0a", "latin1"));
  swapNames[at + 16] = 0x63;
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty", new Uint8Array(0), /truncated/],
    ["garbage", Buffer.from("hello world, this is not a NAR!!"), /doesn't look like a Nix archive/],
    ["truncated", good.subarray(0, good.length - 9), /truncated/],
    ["trailing", Buffer.concat([good, Buffer.alloc(8)]), /after the end of the NAR/],
    ["unsorted", swapNames, /not sorted/],
    ["bad padding", (() => { const b = Buffer.from(good); b[b.indexOf(Buffer.from("1", "latin1"), 100) + 1] = 7; return b; })(), /padding/],
  ];
  for (const [what, bytes, re] of cases) {
    const dest = path.join(tempDir(), "bad");
    assert.throws(() => restoreNarBytes(bytes, dest), (e: Error) => e instanceof FormatError && re.test(e.message), what);
  }
});

test("an entry the file system refuses is an error naming the file, not Node's errno text", () => {
  const long = "x".repeat(300);
  const nar = narToBytes({
    type: "directory",
    entries: new Map<string, NarNode>([[long, { type: "regular", executable: false, contents: Buffer.from("1") }]]),
  });
  const dest = path.join(tempDir(), "out");
  assert.throws(
    () => restoreNarBytes(nar, dest),
    (e: Error) => e instanceof StoreError && e.message === `creating file '${dest}/${long}': File name too long`,
  );
});
