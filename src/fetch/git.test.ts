// Tests of the git fetcher: clean, dirty and empty work trees, refs, revs, submodules, shallow,
// remote repositories through a cache, compared with `nix flake metadata` where Nix is installed.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fetchTree } from "./index.js";
import { startTestServer } from "./test-server.js";
import { commit, freshDir, initRepo, oracle, runGit, testContext, withSettings, writeFiles } from "./test-support.js";

const FLAKE = "{ outputs = _: { }; }\n";
const T1 = 1672628645;
const T2 = 1675307045;

/** A repository with two commits on `main`, a branch `other` and a tag `v1`. */
function fixture(dir: string): { main: string; other: string } {
  initRepo(dir);
  commit(dir, { "flake.nix": FLAKE, "sub/a": { exec: "hi\n" }, link: { symlink: "sub/a" }, "b.txt": "b\n" }, T1 - 100);
  const main = commit(dir, { "c.txt": "c\n" }, T1);
  runGit(dir, ["checkout", "-q", "-b", "other"]);
  const other = commit(dir, { "x.txt": "x\n" }, T2);
  runGit(dir, ["tag", "v1"]);
  runGit(dir, ["tag", "-a", "-m", "annotated", "v2"]);
  runGit(dir, ["checkout", "-q", "main"]);
  return { main, other };
}

const root = freshDir("git-");
const repo = path.join(root, "repo");
const revs = fixture(repo);
const nix = oracle();
const url = `file://${repo}`;

test("clean work tree: HEAD of the current branch, locked as Nix does", () => {
  const { ctx, warnings } = testContext();
  const t = fetchTree(ctx, { type: "git", url });
  assert.deepEqual(warnings, []);
  assert.equal(t.rev, revs.main);
  assert.equal(t.shortRev, revs.main.slice(0, 7));
  assert.equal(t.revCount, 2);
  assert.equal(t.lastModified, T1);
  assert.equal(t.lastModifiedDate, "20230102030405");
  assert.deepEqual(Object.keys(t.locked), ["lastModified", "narHash", "ref", "rev", "revCount", "type", "url"]);
  assert.equal(t.locked.ref, "main");
  assert.equal(fs.readlinkSync(path.join(ctx.store.toPhysical(t.storePath), "link")), "sub/a");
  assert.ok(fs.statSync(path.join(ctx.store.toPhysical(t.storePath), "sub/a")).mode & 0o100);
  if (nix !== null) {
    const m = nix.metadata(`git+${url}`);
    assert.deepEqual(m.locked, t.locked);
    assert.equal(m.path, t.storePath);
  }
});

test("ref, tag and rev select other commits", () => {
  const { ctx } = testContext();
  const byRef = fetchTree(ctx, { type: "git", url, ref: "other" });
  assert.equal(byRef.rev, revs.other);
  assert.equal(byRef.revCount, 3);
  assert.equal(byRef.locked.ref, "other");
  const byTag = fetchTree(ctx, { type: "git", url, ref: "v1" });
  assert.equal(byTag.rev, revs.other);
  const annotated = fetchTree(ctx, { type: "git", url, ref: "v2" });
  assert.equal(annotated.rev, revs.other);
  const byRev = fetchTree(ctx, { type: "git", url, rev: revs.other });
  assert.equal(byRev.storePath, byRef.storePath);
  assert.equal(byRev.locked.ref, undefined);
  if (nix !== null) {
    assert.deepEqual(nix.metadata(`git+${url}?ref=other`).locked, byRef.locked);
    assert.deepEqual(nix.metadata(`git+${url}?rev=${revs.other}`).locked, byRev.locked);
  }
  assert.throws(
    () => fetchTree(ctx, { type: "git", url, rev: "1234567890123456789012345678901234567890" }),
    { message: `Cannot find Git revision '1234567890123456789012345678901234567890' in ref 'main' of repository '${repo}'! Please make sure that the rev exists on the ref you've specified or add allRefs = true; to fetchGit.` },
  );
  assert.throws(() => fetchTree(ctx, { type: "git", url, ref: "nope" }), /cannot find Git reference 'nope'/);
});

test("shallow inputs have no revCount", () => {
  const { ctx } = testContext();
  const t = fetchTree(ctx, { type: "git", url, shallow: true });
  assert.equal(t.revCount, undefined);
  assert.equal(t.locked.shallow, true);
  assert.equal(t.locked.revCount, undefined);
});

test("dirty work tree: tracked files only, warning, no rev, allowDirty = false refuses", () => {
  const dirty = path.join(root, "dirty");
  fs.cpSync(repo, dirty, { recursive: true, verbatimSymlinks: true });
  writeFiles(dirty, { "b.txt": "changed\n", "c.txt": null, untracked: "u\n", "staged/new": "n\n" });
  runGit(dirty, ["add", "staged/new"]);
  const t0 = testContext();
  const t = fetchTree(t0.ctx, { type: "git", url: `file://${dirty}` });
  assert.deepEqual(t0.warnings, [`Git tree '${dirty}' is dirty`]);
  assert.equal(t.rev, undefined);
  assert.equal(t.dirtyRev, `${revs.main}-dirty`);
  assert.equal(t.dirtyShortRev, `${revs.main.slice(0, 7)}-dirty`);
  assert.equal(t.lastModified, T1);
  assert.deepEqual(Object.keys(t.locked), ["lastModified", "narHash", "type", "url"]);
  const out = t0.ctx.store.toPhysical(t.storePath);
  assert.deepEqual(fs.readdirSync(out).sort(), ["b.txt", "flake.nix", "link", "staged", "sub"]);
  assert.equal(fs.readFileSync(path.join(out, "b.txt"), "utf8"), "changed\n");
  if (nix !== null) {
    const m = nix.metadata(`git+file://${dirty}`);
    assert.deepEqual(m.locked, t.locked);
    assert.equal(m.path, t.storePath);
    assert.match(nix.fail(["flake", "metadata", "--no-allow-dirty", `git+file://${dirty}`]), new RegExp(`error: Git tree '${dirty}' is dirty`));
  }
  const strict = withSettings(t0, { allowDirty: false });
  assert.throws(() => fetchTree(strict.ctx, { type: "git", url: `file://${dirty}` }), { message: `Git tree '${dirty}' is dirty` });
  // Untracked files alone do not make a tree dirty.
  const untracked = path.join(root, "untracked");
  fs.cpSync(repo, untracked, { recursive: true, verbatimSymlinks: true });
  writeFiles(untracked, { extra: "e\n" });
  const u = fetchTree(t0.ctx, { type: "git", url: `file://${untracked}` });
  assert.equal(u.rev, revs.main);
});

test("repositories without commits are dirty with lastModified 0", () => {
  const empty = initRepo(path.join(root, "empty"));
  writeFiles(empty, { "flake.nix": FLAKE, ignored: "i" });
  runGit(empty, ["add", "flake.nix"]);
  const { ctx, warnings } = testContext();
  const t = fetchTree(ctx, { type: "git", url: `file://${empty}` });
  assert.equal(warnings.length, 1);
  assert.equal(t.lastModified, 0);
  assert.equal(t.dirtyRev, undefined);
  assert.deepEqual(fs.readdirSync(ctx.store.toPhysical(t.storePath)), ["flake.nix"]);
  if (nix !== null) {
    const m = nix.metadata(`git+file://${empty}`);
    assert.deepEqual(m.locked, t.locked);
  }
});

test("detached HEAD locks ref HEAD", () => {
  const det = path.join(root, "detached");
  fs.cpSync(repo, det, { recursive: true, verbatimSymlinks: true });
  runGit(det, ["checkout", "-q", "--detach", "other"]);
  const { ctx } = testContext();
  const t = fetchTree(ctx, { type: "git", url: `file://${det}` });
  assert.equal(t.locked.ref, "HEAD");
  assert.equal(t.rev, revs.other);
});

test("submodules are copied only when asked for", () => {
  const sm = initRepo(path.join(root, "sm"));
  commit(sm, { "s.txt": "s\n" }, T1);
  const top = initRepo(path.join(root, "top"));
  writeFiles(top, { "top.txt": "top\n" });
  runGit(top, ["submodule", "add", "-q", "../sm", "sm"]);
  commit(top, {}, T2);
  const { ctx } = testContext();
  const without = fetchTree(ctx, { type: "git", url: `file://${top}` });
  const withSm = fetchTree(ctx, { type: "git", url: `file://${top}`, submodules: true });
  assert.deepEqual(fs.readdirSync(path.join(ctx.store.toPhysical(without.storePath), "sm")), []);
  assert.deepEqual(fs.readdirSync(path.join(ctx.store.toPhysical(withSm.storePath), "sm")), ["s.txt"]);
  assert.equal(withSm.locked.submodules, true);
  if (nix !== null) {
    for (const [t, s] of [[without, "false"], [withSm, "true"]] as const) {
      const o = nix.evalJson(`builtins.fetchTree { type = "git"; url = "file://${top}"; submodules = ${s}; }`);
      assert.equal(o, t.storePath);
    }
  }
});

test("narHash is checked; a locked input already in the store is not fetched again", () => {
  const { ctx } = testContext();
  const t = fetchTree(ctx, { type: "git", url });
  const bad = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  assert.throws(() => fetchTree(ctx, { type: "git", url, narHash: bad }), {
    message: `NAR hash mismatch in input 'git+${url}', expected '${bad}' but got '${t.narHash}'`,
  });
  const again = fetchTree(ctx, { ...t.locked, url: "file:///nonexistent/repo" });
  assert.equal(again.storePath, t.storePath);
  assert.equal(again.rev, t.rev);
  assert.equal(again.revCount, 2);
});

test("remote repositories go through the cache; refs are re-resolved after the TTL", async () => {
  const www = path.join(root, "www");
  fs.mkdirSync(www);
  runGit(root, ["clone", "-q", "--bare", repo, path.join(www, "r.git")]);
  runGit(path.join(www, "r.git"), ["update-server-info"]);
  const server = await startTestServer(www);
  try {
    const remote = `${server.url}/r.git`;
    const t0 = testContext();
    const t = fetchTree(t0.ctx, { type: "git", url: remote });
    const local = fetchTree(t0.ctx, { type: "git", url });
    assert.equal(t.storePath, local.storePath);
    assert.deepEqual(t.locked, { ...local.locked, url: remote });
    const n = server.requests().length;
    assert.equal(fetchTree(t0.ctx, { type: "git", url: remote }).rev, revs.main);
    assert.equal(server.requests().length, n, "no requests within the TTL");
    const byRev = fetchTree(t0.ctx, { type: "git", url: remote, rev: revs.other });
    assert.equal(byRev.revCount, 3);
    const offline = withSettings(t0, { offline: true });
    assert.equal(fetchTree(offline.ctx, { type: "git", url: remote, ref: "main" }).rev, revs.main);
    assert.throws(() => fetchTree(offline.ctx, { type: "git", url: remote, ref: "v1" }), /offline mode/);
  } finally {
    server.stop();
  }
});
