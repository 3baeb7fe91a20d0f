// Walking an infinite value (a set that contains itself, or one that makes a new level whenever
// forced) ends as in Nix, with "stack overflow (possible infinite recursion)", instead of
// running for minutes on bin/tix's deep stack while memory grows by gigabytes.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir } from "../store/test-util.js";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

const INFINITE: [string[], string][] = [
  [["-E", "let x = { a = x; }; in builtins.toJSON x"], "toJSON of a set that contains itself"],
  [["-E", "let x = [ x ]; in builtins.toXML x"], "toXML of a list that contains itself"],
  [["--json", "-E", "let x = { a = x; }; in x"], "--json of a set that contains itself"],
  [["-E", "let f = n: { a = f (n + 1); }; in f 0"], "--strict printing of an ever deeper set"],
  [["-E", "let f = n: { a = f (n + 1); }; in builtins.deepSeq (f 0) 1"], "deepSeq of an ever deeper set"],
  [["-E", "let f = n: { a = f (n + 1); }; in f 0 == f 0"], "== of two ever deeper sets"],
  [["-E", 'let x = { __toString = s: x; }; in "${x}"'], "__toString returning its own set"],
  [["-E", 'let x = { outPath = x; }; in "${x}"'], "outPath that is its own set"],
  [["-E", "let f = n: [ (f (n + 1)) ]; in builtins.toString (f 0)"], "toString of an ever deeper list"],
];

test("infinite values end with Nix's stack overflow error", () => {
  const store = tempDir("tix-infinite-store-");
  for (const [args, what] of INFINITE) {
    // The timeout only keeps a regression from hanging the suite.
    const r = spawnSync(TIX, ["instantiate", "--store", store, "--eval", "--strict", ...args], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 1, `${what}: exit status (signal ${r.signal})`);
    assert.equal(r.stderr, "error: stack overflow (possible infinite recursion)\n", what);
  }
});

test("deep but finite values are still walked", () => {
  const store = tempDir("tix-infinite-store-");
  const deep = "let f = n: if n == 0 then null else { a = f (n - 1); }; v = f 50000; in";
  for (const [expr, want] of [
    [`${deep} builtins.deepSeq v 1`, "1"],
    [`${deep} f 50000 == f 50000`, "true"],
    [`${deep} builtins.stringLength (builtins.toJSON v)`, String(50000 * 6 + 4)],
  ]) {
    const r = spawnSync(TIX, ["instantiate", "--store", store, "--eval", "--strict", "-E", expr], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.stderr, "", expr);
    assert.equal(r.stdout, want + "\n", expr);
  }
});
