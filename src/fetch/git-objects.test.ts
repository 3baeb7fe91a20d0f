// Tests of reading git repositories without git: loose objects, packs with offset and reference
// deltas, commit times, revision counts and tree exports agree with what `git` gives (the fetcher
// with TIX_GIT_OBJECTS=0 runs git status, log, rev-list and archive); unusual trees are left to
// git; work trees are called clean or dirty only as `git status` would.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fetchTree } from "./index.js";
import { GitObjectReader, GitUnsupported, applyDelta } from "./git-objects.js";
import { addGitTreeToStore } from "./git-tree-export.js";
import { headStateWithoutGit } from "./git-work-tree.js";
import { commit, freshDir, initRepo, runGit, testContext, writeFiles } from "./test-support.js";
import type { FetchedTree } from "./types.js";

const T0 = 1672628645;

/** A history whose files change a little in every commit, so that repacking makes deltas. */
function history(dir: string): string {
  initRepo(dir);
  const big = Array.from({ length: 2000 }, (_, i) => `line ${i} of a file that packs into deltas\n`).join("");
  let head = "";
  for (let c = 0; c < 6; c++) {
    head = commit(
      dir,
      {
        "flake.nix": `{ outputs = _: { n = ${c}; }; }\n`,
        "big.txt": big + `change ${c}\n`,
        "a/b/deep.txt": `deep ${c}\n`,
        // Git orders the directory `a` as `a/`, after `a-b` and `a.txt`; a NAR orders bytes.
        "a-b": "dash\n",
        "a.txt": "dot\n",
        "run.sh": { exec: "#!/bin/sh\necho hi\n" },
        "link": { symlink: "a/b/deep.txt" },
        "dangling": { symlink: "../nowhere" },
        "h\u00e9 llo.txt": "non-ASCII name\n",
        "bin.dat": Buffer.from([0, 1, 2, 255, 254, 0, 10]).toString("latin1"),
      },
      T0 + c * 100,
    );
  }
  return head;
}

/** The fetch of `url` through git itself (log, rev-list, archive). */
function viaGit(url: string): FetchedTree {
  process.env.TIX_GIT_OBJECTS = "0";
  try {
    return fetchTree(testContext().ctx, { type: "git", url });
  } finally {
    delete process.env.TIX_GIT_OBJECTS;
  }
}

/** Reads `rev` with the object reader alone and checks it against git's fetch. */
function assertSameAsGit(repo: string, rev: string): void {
  const expected = viaGit(`file://${repo}`);
  const { ctx } = testContext();
  const reader = new GitObjectReader(path.join(repo, ".git"));
  try {
    const c = reader.commit(rev);
    assert.equal(c.commitTime, expected.lastModified);
    assert.equal(reader.revCount(rev, 1000), expected.revCount);
    assert.equal(reader.revCount(rev, 2), null, "a longer history than the limit is left to git");
    const added = addGitTreeToStore(ctx, reader, c.tree, "source");
    assert.equal(added.narHash, expected.narHash);
    assert.equal(added.storePath, expected.storePath);
  } finally {
    reader.close();
  }
  const direct = fetchTree(testContext().ctx, { type: "git", url: `file://${repo}` });
  assert.deepEqual(direct, expected);
}

test("loose objects: the same commit time, revCount and tree as git", () => {
  const repo = path.join(freshDir("obj-"), "repo");
  const head = history(repo);
  assert.ok(!fs.existsSync(path.join(repo, ".git/objects/pack")) || fs.readdirSync(path.join(repo, ".git/objects/pack")).length === 0);
  assertSameAsGit(repo, head);
});

test("packed objects with offset deltas (git gc)", () => {
  const repo = path.join(freshDir("obj-"), "repo");
  const head = history(repo);
  runGit(repo, ["gc", "-q", "--aggressive", "--prune=now"]);
  assert.equal(fs.readdirSync(path.join(repo, ".git/objects")).filter((d) => /^[0-9a-f]{2}$/.test(d)).length, 0, "everything is packed");
  const packs = fs.readdirSync(path.join(repo, ".git/objects/pack"));
  assert.ok(packs.some((p) => p.endsWith(".idx")));
  assertSameAsGit(repo, head);
});

test("packed objects with reference deltas, several packs", () => {
  const repo = path.join(freshDir("obj-"), "repo");
  history(repo);
  // Without --delta-base-offset, pack-objects writes REF_DELTA entries.
  const objects = runGit(repo, ["rev-list", "--objects", "HEAD~3"]);
  const pack = spawnSync("git", ["-C", repo, "pack-objects", "-q", "--window=50", ".git/objects/pack/pack"], { input: objects + "\n" });
  assert.equal(pack.status, 0, pack.stderr?.toString());
  runGit(repo, ["repack", "-q", "-d"]);
  runGit(repo, ["prune-packed"]);
  assert.ok(fs.readdirSync(path.join(repo, ".git/objects/pack")).filter((p) => p.endsWith(".idx")).length >= 2);
  // A commit made afterwards is loose while its parents are packed.
  const head = commit(repo, { "new.txt": "new\n" }, T0 + 1000);
  assertSameAsGit(repo, head);
});

test("applyDelta copies and inserts", () => {
  const base = Buffer.from("0123456789abcdef");
  // source size 16, target size 9: copy 4 bytes from offset 2, insert "XYZ", copy 2 from offset 14.
  const delta = Buffer.from([16, 9, 0x91, 2, 4, 3, 0x58, 0x59, 0x5a, 0x91, 14, 2]);
  assert.equal(applyDelta(base, delta).toString(), "2345XYZef");
  assert.throws(() => applyDelta(Buffer.from("short"), delta), GitUnsupported);
});

test("trees with .gitattributes or submodules are exported by git", () => {
  const repo = path.join(freshDir("obj-"), "repo");
  initRepo(repo);
  const head = commit(repo, { "flake.nix": "{ outputs = _: { }; }\n", ".gitattributes": "secret export-ignore\n", secret: "x\n" }, T0);
  const reader = new GitObjectReader(path.join(repo, ".git"));
  try {
    assert.throws(() => addGitTreeToStore(testContext().ctx, reader, reader.commit(head).tree, "source"), GitUnsupported);
  } finally {
    reader.close();
  }
  const t = fetchTree(testContext().ctx, { type: "git", url: `file://${repo}` });
  assert.deepEqual(t, viaGit(`file://${repo}`));
  const out = testContext();
  const fetched = fetchTree(out.ctx, { type: "git", url: `file://${repo}` });
  assert.ok(!fs.existsSync(path.join(out.store.toPhysical(fetched.storePath), "secret")), "export-ignore is honoured");
});

test("repositories with unusual layouts are refused by the reader", () => {
  const repo = path.join(freshDir("obj-"), "repo");
  initRepo(repo);
  commit(repo, { "f.txt": "f\n" }, T0);
  fs.writeFileSync(path.join(repo, ".git/shallow"), "");
  assert.throws(() => new GitObjectReader(path.join(repo, ".git")), GitUnsupported);
  fs.rmSync(path.join(repo, ".git/shallow"));
  runGit(repo, ["config", "extensions.worktreeConfig", "true"]);
  assert.throws(() => new GitObjectReader(path.join(repo, ".git")), GitUnsupported);
});

test("a repository owned by another user is left to git, which refuses it as Nix would see", { skip: process.getuid?.() === 0 ? false : "needs root to chown" }, () => {
  const repo = path.join(freshDir("obj-"), "repo");
  initRepo(repo);
  commit(repo, { "flake.nix": "{ outputs = _: { }; }\n" }, T0);
  spawnSync("chown", ["-R", "12345", repo]);
  assert.throws(() => new GitObjectReader(path.join(repo, ".git")), GitUnsupported);
  assert.equal(headStateWithoutGit(repo), null);
  assert.throws(() => fetchTree(testContext().ctx, { type: "git", url: `file://${repo}` }), /dubious ownership/);
});

// ---------------------------------------------------------------------------------------------
// Clean work trees without `git status`

/** What `git status` says: HEAD, branch, and whether tracked files changed. */
function gitStatus(repo: string): { rev: string; branch: string; dirty: boolean } {
  const out = runGit(repo, ["status", "--porcelain=v2", "--branch", "--untracked-files=no", "--no-renames"]);
  let rev = "";
  let branch = "HEAD";
  let dirty = false;
  for (const line of out.split("\n")) {
    if (line.startsWith("# branch.oid ")) rev = line.slice(13);
    else if (line.startsWith("# branch.head ")) branch = line.slice(14) === "(detached)" ? "HEAD" : line.slice(14);
    else if (line !== "" && !line.startsWith("#")) dirty = true;
  }
  return { rev, branch, dirty };
}

/** The reader's verdict agrees with git's; returns whether it decided alone (non-null). */
function agreesWithGit(repo: string): boolean {
  const mine = headStateWithoutGit(repo);
  const git = gitStatus(repo);
  if (mine === null) return false;
  assert.deepEqual({ rev: mine.rev, branch: mine.branch, dirty: mine.dirty }, git);
  const files = runGit(repo, ["ls-files", "-z"]).split("\0").filter((f) => f !== "");
  assert.deepEqual(mine.files.map((f) => Buffer.from(f, "latin1").toString("utf8")), files);
  return true;
}

test("clean and dirty work trees are told apart without git status, as git does", () => {
  const repo = path.join(freshDir("wt-"), "repo");
  history(repo);
  assert.ok(agreesWithGit(repo), "a freshly committed tree (racily clean files) is clean");
  // Same size, same second: only the contents tell.
  writeFiles(repo, { "a-b": "DASH\n" });
  assert.ok(agreesWithGit(repo));
  writeFiles(repo, { "a-b": "dash\n" });
  assert.ok(agreesWithGit(repo));
  writeFiles(repo, { "a.txt": "longer contents\n" });
  assert.ok(agreesWithGit(repo));
  runGit(repo, ["checkout", "--", "a.txt"]);
  assert.ok(agreesWithGit(repo));
  // Staged, deleted, mode and symlink changes, intent-to-add files.
  const changes: [string, () => void, boolean][] = [
    ["staged", () => { writeFiles(repo, { "new.txt": "n\n" }); runGit(repo, ["add", "new.txt"]); }, true],
    ["deleted", () => fs.rmSync(path.join(repo, "a/b/deep.txt")), true],
    ["symlink", () => writeFiles(repo, { link: { symlink: "a-b" } }), true],
    ["symlink to file", () => writeFiles(repo, { link: "now a file\n" }), true],
    ["mode", () => fs.chmodSync(path.join(repo, "run.sh"), 0o644), false],
    ["intent-to-add", () => { writeFiles(repo, { "ita.txt": "i\n" }); runGit(repo, ["add", "-N", "ita.txt"]); }, true],
    ["touched only", () => fs.utimesSync(path.join(repo, "a.txt"), new Date(), new Date(Date.now() + 5000)), true],
  ];
  for (const [what, change, decided] of changes) {
    change();
    assert.equal(agreesWithGit(repo), decided, what);
    runGit(repo, ["reset", "-q", "--hard"]);
    runGit(repo, ["clean", "-qfd"]);
    assert.ok(agreesWithGit(repo));
  }
  // Untracked files do not count.
  writeFiles(repo, { "untracked.txt": "u\n" });
  assert.ok(agreesWithGit(repo));
});

test("a dirty tree fetched without git gives what git gives", () => {
  const repo = path.join(freshDir("wt-"), "repo");
  history(repo);
  writeFiles(repo, { "a.txt": "changed\n", "untracked.txt": "u\n", "flake.lock": "{}\n" });
  fs.rmSync(path.join(repo, "a-b"));
  // As `flake lock` marks a new flake.lock.
  runGit(repo, ["add", "--intent-to-add", "flake.lock"]);
  assert.equal(headStateWithoutGit(repo)?.dirty, true);
  const expected = viaGit(`file://${repo}`);
  const t = testContext();
  assert.deepEqual(fetchTree(t.ctx, { type: "git", url: `file://${repo}` }), expected);
  assert.deepEqual(t.warnings, [`Git tree '${repo}' is dirty`]);
});

test("detached HEADs, packed refs and branches with slashes", () => {
  const repo = path.join(freshDir("wt-"), "repo");
  const head = history(repo);
  runGit(repo, ["checkout", "-q", "-b", "feature/x"]);
  assert.ok(agreesWithGit(repo));
  runGit(repo, ["pack-refs", "--all"]);
  assert.ok(!fs.existsSync(path.join(repo, ".git/refs/heads/feature/x")));
  assert.ok(agreesWithGit(repo));
  runGit(repo, ["checkout", "-q", "--detach", "HEAD~2"]);
  assert.ok(agreesWithGit(repo));
  assert.notEqual(headStateWithoutGit(repo)!.rev, head);
  // A fetch of the detached tree locks ref HEAD, as through git.
  const t = fetchTree(testContext().ctx, { type: "git", url: `file://${repo}` });
  assert.deepEqual(t, viaGit(`file://${repo}`));
});
