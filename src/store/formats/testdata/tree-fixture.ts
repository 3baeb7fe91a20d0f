// Test helper: the small tree whose `nix-store --dump` is testdata/tree.nar, as a NarNode and on disk.

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { NarNode } from "../nar.js";

/** src/store/formats/testdata, found from the compiled file's location in dist/. */
export const TESTDATA_DIR = path.join(fileURLToPath(new URL("../../../../../", import.meta.url)), "src/store/formats/testdata");

const file = (contents: string, executable = false): NarNode => ({
  type: "regular",
  executable,
  contents: new Uint8Array(Buffer.from(contents)),
});
const dir = (entries: Record<string, NarNode>): NarNode => ({ type: "directory", entries: new Map(Object.entries(entries)) });
const link = (target: string): NarNode => ({ type: "symlink", target });

/** Names are byte strings: "é" is the two UTF-8 bytes "\xc3\xa9". */
export function testTree(): NarNode {
  return dir({
    "a.txt": file("hello\n"),
    empty: file(""),
    "run.sh": file("#!/bin/sh\necho hi\n", true),
    link: link("a.txt"),
    B: file("B"),
    _u: file("underscore"),
    "-d": file("dash"),
    emptydir: dir({}),
    sub: dir({
      "\xc3\xa9": file("u"),
      "a-b": file("eight!!!"),
      Z: file("ten chars!", true),
      abs: link("/nonexistent/target"),
      deeper: dir({ thirteen: file("xxxxxxxxxxxxx") }),
    }),
  });
}

/** Creates `node` at `target` (which must not exist). */
export function writeTree(node: NarNode, target: Buffer): void {
  switch (node.type) {
    case "regular":
      fs.writeFileSync(target, node.contents, { mode: node.executable ? 0o755 : 0o644 });
      fs.chmodSync(target, node.executable ? 0o755 : 0o644);
      break;
    case "symlink":
      fs.symlinkSync(Buffer.from(node.target, "latin1"), target);
      break;
    case "directory":
      fs.mkdirSync(target);
      for (const [name, child] of node.entries) {
        writeTree(child, Buffer.concat([target, Buffer.from("/"), Buffer.from(name, "latin1")]));
      }
      break;
  }
}
