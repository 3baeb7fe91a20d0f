// builtins.getFlake outside flake commands: `tix instantiate` and `tix eval --expr/--file` have
// it like Nix (flakes enabled), also in files the expression imports — not only when the text
// on the command line names it.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir, writeTree } from "../store/test-util.js";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

function tix(args: readonly string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const env = { ...process.env, NIX_PATH: "", XDG_CACHE_HOME: tempDir("tix-getflake-cache-"), TIX_GLOBAL_REGISTRY: "/nonexistent" };
  const r = spawnSync(TIX, args, { encoding: "utf8", cwd, env });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("getFlake works in imported files for tix instantiate and tix eval, and stays refused for unlocked references in pure evaluation", () => {
  const root = tempDir("tix-getflake-");
  writeTree(root, {
    f: { "flake.nix": "{ outputs = { self }: { x = 42; }; }\n" },
    "imp.nix": `builtins.getFlake "path:${root}/f"\n`,
    "top.nix": "(import ./imp.nix).x\n",
  });
  const store = tempDir("tix-getflake-store-");
  const inst = tix(["instantiate", "--store", store, "--eval", "top.nix"], root);
  assert.equal(inst.stderr, "");
  assert.equal(inst.stdout, "42\n");
  const file = tix(["eval", "--store", store, "--impure", "--file", "top.nix"], root);
  assert.equal(file.stderr, "");
  assert.equal(file.stdout, "42\n");
  const expr = tix(["eval", "--store", store, "--impure", "--expr", "(import ./imp.nix).x"], root);
  assert.equal(expr.stderr, "");
  assert.equal(expr.stdout, "42\n");
  const pure = tix(["eval", "--store", store, "--expr", `builtins.getFlake "path:${root}/f"`], root);
  assert.equal(pure.status, 1);
  assert.match(pure.stderr, /cannot call 'getFlake' on unlocked flake reference 'path:.*\/f', at «string»:1:1 \(use --impure to override\)/);
});
