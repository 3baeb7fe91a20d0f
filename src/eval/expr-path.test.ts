// import/scopedImport of a symbolic link, as Nix 2.8 does it (outputs recorded from nix-instantiate):
// the link is followed first, so the imported file's relative paths are relative to its target,
// and a link to a directory imports that directory's default.nix.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Evaluator } from "./evaluator.js";
import { nodeEvalIO } from "./fs-io.js";
import { defaultSettings } from "./state.js";
import { printValue } from "./print.js";
import { MemoryStore } from "../store/memory-store.js";

function run(expr: string): string {
  const ev = new Evaluator({ settings: defaultSettings, io: nodeEvalIO({}), store: new MemoryStore() });
  return printValue(ev.state.forceDeep(ev.evalString(expr, "/")), { style: "instantiate" });
}

/** dir/{t.txt, link.nix -> sub/x.nix, link2.nix -> link.nix, dl -> sub, dl2 -> dl, loop1 <-> loop2, sub/{x.nix, default.nix, t.txt}} */
function tree(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tix-expr-path-")));
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub/x.nix"), "{ here = ./.; t = builtins.readFile ./t.txt; }");
  fs.writeFileSync(path.join(dir, "sub/t.txt"), "subt\n");
  fs.writeFileSync(path.join(dir, "sub/default.nix"), '"def"');
  fs.writeFileSync(path.join(dir, "t.txt"), "topt\n");
  fs.symlinkSync("sub/x.nix", path.join(dir, "link.nix"));
  fs.symlinkSync("link.nix", path.join(dir, "link2.nix"));
  fs.symlinkSync("sub", path.join(dir, "dl"));
  fs.symlinkSync("dl", path.join(dir, "dl2"));
  fs.symlinkSync("loop2", path.join(dir, "loop1"));
  fs.symlinkSync("loop1", path.join(dir, "loop2"));
  return dir;
}

test("import of a symbolic link evaluates its target, relative paths included, as Nix does", () => {
  const dir = tree();
  try {
    const sub = `{ here = ${dir}/sub; t = "subt\\n"; }`;
    assert.equal(run(`import ${dir}/link.nix`), sub);
    assert.equal(run(`import ${dir}/link2.nix`), sub);
    assert.equal(run(`builtins.scopedImport {} ${dir}/link.nix`), sub);
    // A link earlier in the path stays as written.
    assert.equal(run(`import ${dir}/dl/x.nix`), `{ here = ${dir}/dl; t = "subt\\n"; }`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("import of a symbolic link to a directory evaluates the directory's default.nix, as Nix does", () => {
  const dir = tree();
  try {
    assert.equal(run(`import ${dir}/dl`), '"def"');
    assert.equal(run(`import ${dir}/dl2`), '"def"');
    assert.equal(run(`builtins.scopedImport {} ${dir}/dl`), '"def"');
    assert.throws(() => run(`import ${dir}/loop1`), /too many symbolic links encountered while traversing the path/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
