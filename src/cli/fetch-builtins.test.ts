// The fetch builtins outside flakes: `tix instantiate` and `tix eval --expr/--file` have
// fetchurl, fetchTarball, fetchGit and fetchTree like Nix, also in files the expression imports.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir, writeTree } from "../store/test-util.js";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

/** A project whose default.nix imports a file that fetches a tarball and a file by file:// URL. */
function project(): string {
  const root = tempDir("tix-fetch-builtins-");
  writeTree(path.join(root, "src"), { "default.nix": "{ x = 42; }\n", "data.txt": "hello\n" });
  const tar = spawnSync("tar", ["czf", path.join(root, "src.tar.gz"), "-C", root, "src"]);
  assert.equal(tar.status, 0);
  writeTree(path.join(root, "proj"), {
    "default.nix": "import ./pinned.nix\n",
    "pinned.nix":
      `let src = fetchTarball "file://${root}/src.tar.gz"; in\n` +
      `{ x = (import src).x; data = builtins.readFile (builtins.fetchurl "file://${root}/src/data.txt"); }\n`,
  });
  return path.join(root, "proj");
}

function tix(args: readonly string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const env = { ...process.env, NIX_PATH: "", XDG_CACHE_HOME: tempDir("tix-fetch-cache-") };
  const r = spawnSync(TIX, args, { encoding: "utf8", cwd, env });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("tix instantiate --eval has the fetch builtins, also in imported files", () => {
  const proj = project();
  const store = tempDir("tix-fetch-store-");
  const r = tix(["instantiate", "--store", store, "--eval", "--strict", "default.nix"], proj);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, '{ data = "hello\\n"; x = 42; }\n');
  const names = tix(["instantiate", "--store", store, "--eval", "--strict", "-E", "map (n: builtins ? ${n}) [ \"fetchurl\" \"fetchTarball\" \"fetchGit\" \"fetchTree\" ]"], proj);
  assert.equal(names.stdout, "[ true true true true ]\n");
});

test("tix eval --file has the fetch builtins in files it imports", () => {
  const proj = project();
  const store = tempDir("tix-fetch-store-");
  const r = tix(["eval", "--store", store, "--impure", "--file", "default.nix", "x"], proj);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "42\n");
  const names = tix(["eval", "--store", store, "--expr", "builtins ? fetchTarball"], proj);
  assert.equal(names.stdout, "true\n");
});
