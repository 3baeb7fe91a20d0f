import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { narFromFileSystem } from "../store/formats/nar-fs.js";
import { stampTree, TreeStamper } from "./source-stamp.js";

const LATER = Date.now() + 60_000;

function tree(): string {
  const dir = tempDir("tix-stamp-");
  fs.writeFileSync(path.join(dir, "flake.nix"), "{ outputs = { self }: { }; }\n");
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub", "a.txt"), "aaaa\n");
  fs.symlinkSync("a.txt", path.join(dir, "sub", "link"));
  return dir;
}

const digest = (dir: string): string => stampTree(dir, LATER)!.digest;

test("stampTree: equal for an unchanged tree, different after any change", () => {
  const dir = tree();
  const before = digest(dir);
  assert.equal(digest(dir), before, "unchanged");

  const changes: [string, () => void][] = [
    ["same-size edit with the old modification time", () => {
      const f = path.join(dir, "sub", "a.txt");
      const st = fs.statSync(f);
      fs.writeFileSync(f, "bbbb\n");
      fs.utimesSync(f, st.atime, st.mtime);
    }],
    ["a new file", () => fs.writeFileSync(path.join(dir, "new.txt"), "")],
    ["a new empty directory", () => fs.mkdirSync(path.join(dir, "empty"))],
    ["a removed file", () => fs.rmSync(path.join(dir, "new.txt"))],
    ["a renamed file", () => fs.renameSync(path.join(dir, "sub", "a.txt"), path.join(dir, "sub", "b.txt"))],
    ["an executable bit", () => fs.chmodSync(path.join(dir, "flake.nix"), 0o755)],
    ["a link pointing elsewhere", () => {
      fs.rmSync(path.join(dir, "sub", "link"));
      fs.symlinkSync("b.txt", path.join(dir, "sub", "link"));
    }],
  ];
  const seen = new Set([before]);
  for (const [what, change] of changes) {
    change();
    const d = digest(dir);
    assert.ok(!seen.has(d), what);
    seen.add(d);
  }
});

test("stampTree: a tree just written is not settled; later it is", () => {
  const dir = tree();
  assert.equal(stampTree(dir)!.settled, false);
  assert.equal(stampTree(dir, LATER)!.settled, true);
});

test("stampTree: only directories", () => {
  const dir = tree();
  assert.equal(stampTree(path.join(dir, "flake.nix")), undefined);
  assert.equal(stampTree(path.join(dir, "missing")), undefined);
  assert.equal(stampTree(path.join(dir, "sub", "link")), undefined);
});

test("a stamp taken by the walk that archives the tree equals stampTree's", () => {
  const dir = tree();
  fs.mkdirSync(path.join(dir, "sub", "deeper"));
  fs.writeFileSync(path.join(dir, "sub", "deeper", "Z"), "z\n");
  fs.writeFileSync(path.join(dir, "B"), "uppercase sorts first\n");
  const stamper = new TreeStamper(LATER);
  narFromFileSystem(dir, { onEntry: (p, st) => stamper.add(p, st) });
  const walked = stamper.finish();
  assert.deepEqual(walked, stampTree(dir, LATER));
  assert.equal(walked?.settled, true);
  // Nothing reported, or a file as the root: no stamp.
  assert.equal(new TreeStamper(LATER).finish(), undefined);
  const file = new TreeStamper(LATER);
  narFromFileSystem(path.join(dir, "B"), { onEntry: (p, st) => file.add(p, st) });
  assert.equal(file.finish(), undefined);
});
