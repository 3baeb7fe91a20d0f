// Tests of reference scanning: hashes found in contents, names and symlink targets, across chunk
// boundaries, and only whole candidate hashes.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { RefScanner, scanReferences, type NarNode } from "./index.js";
import { tempDir, writeTree } from "./test-util.js";

const A = "/nix/store/0c9sqvrp3vyc10kj0hvbkbfdl5wb2j1z-a";
const B = "/nix/store/1ax4pp4nv2vcyqrlgi2g4bsq4lvzy9m6-b";
const C = "/nix/store/2r5zsbgg4xglwqsc2ylbdmq41k6ihsd4-c";

test("finds candidate hashes in file contents, names and symlink targets", () => {
  const dir = writeTree(path.join(tempDir(), "t"), {
    bin: { sh: `#!${A}/bin/sh\n` },
    [`${B.slice(11, 43)}-x`]: "name only",
    l: ["symlink", `${C}/lib`],
  });
  assert.deepEqual(scanReferences(dir, [A, B, C]), [A, B, C].sort());
  assert.deepEqual(scanReferences(dir, [A]), [A]);
  const tree: NarNode = { type: "regular", executable: false, contents: Buffer.from(`nothing here ${A.slice(0, 30)}`) };
  assert.deepEqual(scanReferences(tree, [A, B]), []);
});

test("hashes split across chunks are found, at every split point", () => {
  const text = Buffer.from(`xx${B}yy`);
  for (let cut = 0; cut <= text.length; cut++) {
    for (const second of [1, 5, 100]) {
      const s = new RefScanner([A, B]);
      s.update(text.subarray(0, cut));
      for (let i = cut; i < text.length; i += second) s.update(text.subarray(i, i + second));
      assert.deepEqual(s.found(), [B], `cut ${cut} / ${second}`);
    }
  }
});

test("a hash embedded in a longer run of nix32 characters still counts; partial ones do not", () => {
  const hash = A.slice(11, 43);
  const s = new RefScanner([A]);
  s.update(Buffer.from(`abc${hash}def`));
  assert.deepEqual(s.found(), [A]);
  const t = new RefScanner([A]);
  t.update(Buffer.from(hash.slice(0, 31) + "E" + hash.slice(31)));
  assert.deepEqual(t.found(), []);
});

test("scanning a large file in chunks finds a hash at its end", () => {
  const big = Buffer.alloc(32 * 1024 * 1024, "some text that is not a hash at all\n");
  big.write(C, big.length - 100);
  const s = new RefScanner([A, B, C]);
  for (let i = 0; i < big.length; i += 1 << 20) s.update(big.subarray(i, i + (1 << 20)));
  assert.deepEqual(s.found(), [C]);
});
