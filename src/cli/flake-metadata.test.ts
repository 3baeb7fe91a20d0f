// `tix flake metadata` lines as modern Nix prints them: a dirty Git tree's revision (with
// -dirty, as in --json's dirtyRevision), no `Inputs:` header without inputs, and the
// deprecated `flake info` alias's warning.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { git, repo, tix, world } from "./flake-test-util.js";

test("flake metadata of a dirty Git tree shows the revision it was made from, with -dirty", () => {
  const w = world();
  const f = repo(w, "dirty", { "flake.nix": "{ outputs = { self }: { }; }\n" });
  fs.appendFileSync(path.join(f, "flake.nix"), "# edited\n");
  const rev = git(w, f, "rev-parse", "HEAD").trim();
  const r = tix(w, f, ["flake", "metadata"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`\\nRevision:      ${rev}-dirty\\n`));
  assert.doesNotMatch(r.stdout, /Revisions:|Inputs:/);
  const j = JSON.parse(tix(w, f, ["flake", "metadata", "--json"]).stdout) as { dirtyRevision?: string };
  assert.equal(j.dirtyRevision, `${rev}-dirty`);
});

test("flake info is metadata with Nix's deprecation warning", () => {
  const w = world();
  const f = repo(w, "info", { "flake.nix": "{ outputs = { self }: { }; }\n" });
  const r = tix(w, f, ["flake", "info"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stderr.startsWith("warning: 'nix flake info' is a deprecated alias for 'nix flake metadata'\n"), r.stderr);
  assert.match(r.stdout, /^Resolved URL:/);
});

test("a flake reached through the registry is locked without writing its flake.lock, as in Nix", () => {
  const w = world();
  const dep = repo(w, "dep", { "flake.nix": "{ outputs = { self }: { }; }\n" });
  const top = repo(w, "top", { "flake.nix": `{ inputs.dep.url = "git+file://${dep}"; outputs = { self, dep }: { }; }\n` });
  assert.equal(tix(w, w.root, ["registry", "add", "top", `git+file://${top}`]).status, 0);
  for (const cmd of [["flake", "lock", "top"], ["flake", "metadata", "top"]]) {
    const r = tix(w, w.root, cmd);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: cannot write modified lock file of flake 'flake:top' \(use '--no-write-lock-file' to ignore\)/);
    assert.ok(!fs.existsSync(path.join(top, "flake.lock")), cmd.join(" "));
    assert.equal(git(w, top, "status", "--short"), "");
  }
});
