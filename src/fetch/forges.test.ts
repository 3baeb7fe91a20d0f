// Tests of the forge fetchers against a local server laid out like GitHub, GitLab and sourcehut:
// ref resolution through the API, archive download, locked attributes.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fetchTree } from "./index.js";
import { startTestServer } from "./test-server.js";
import { freshDir, testContext, writeFiles } from "./test-support.js";

const REV = "8aefc733199d61f89e7720010fd4639eb9fcf5f7";
const REV2 = "1111111111111111111111111111111111111111";
const MTIME = 1700000000;

/** A `.tar.gz` whose single top-level directory is `top`, all mtimes MTIME. */
function archive(file: string, top: string, contents: string): void {
  const dir = freshDir("arch-");
  writeFiles(dir, { [`${top}/flake.nix`]: contents, [`${top}/lib/x.nix`]: "1\n" });
  for (const p of [`${top}/flake.nix`, `${top}/lib/x.nix`, `${top}/lib`, top]) fs.utimesSync(path.join(dir, p), MTIME, MTIME);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const r = spawnSync("tar", ["-czf", file, top], { cwd: dir });
  assert.equal(r.status, 0);
}

function put(root: string, rel: string, body: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), body);
}

test("github: ref resolved through the API, archive unpacked, locked like Nix", async () => {
  const www = freshDir("gh-");
  put(www, "api/repos/o/r/commits/HEAD", JSON.stringify({ sha: REV }));
  put(www, "api/repos/o/r/commits/dev", JSON.stringify({ sha: REV2 }));
  archive(path.join(www, `gh/o/r/archive/${REV}.tar.gz`), `r-${REV}`, "{ }\n");
  archive(path.join(www, `gh/o/r/archive/${REV2}.tar.gz`), `r-${REV2}`, "{ dev = 1; }\n");
  const server = await startTestServer(www);
  try {
    const { ctx } = testContext({ githubApiUrl: `${server.url}/api`, githubArchiveUrl: `${server.url}/gh/` });
    const t = fetchTree(ctx, { type: "github", owner: "o", repo: "r" });
    assert.equal(t.rev, REV);
    assert.equal(t.shortRev, REV.slice(0, 7));
    assert.equal(t.lastModified, MTIME);
    assert.deepEqual(t.locked, { lastModified: MTIME, narHash: t.narHash, owner: "o", repo: "r", rev: REV, type: "github" });
    assert.equal(fs.readFileSync(path.join(ctx.store.toPhysical(t.storePath), "flake.nix"), "utf8"), "{ }\n");

    const dev = fetchTree(ctx, { type: "github", owner: "o", repo: "r", ref: "dev" });
    assert.equal(dev.rev, REV2);
    assert.equal(dev.locked.ref, undefined);
    const n = server.requests().length;
    fetchTree(ctx, { type: "github", owner: "o", repo: "r", ref: "dev" });
    assert.equal(server.requests().length, n, "ref lookups are cached within the TTL");
    const byRev = fetchTree(ctx, { type: "github", owner: "o", repo: "r", rev: REV });
    assert.equal(byRev.storePath, t.storePath);
    assert.throws(() => fetchTree(ctx, { type: "github", owner: "o", repo: "missing" }), /HTTP error 404/);
  } finally {
    server.stop();
  }
});

test("gitlab and sourcehut", async () => {
  const www = freshDir("gl-");
  put(www, "gl/api/v4/projects/o/r/repository/commits@ref_name=HEAD", JSON.stringify([{ id: REV }]));
  archive(path.join(www, `gl/api/v4/projects/o/r/repository/archive.tar.gz@sha=${REV}`), `r-${REV}-${REV}`, "{ }\n");
  put(www, "sh/~o/r/HEAD", "ref: refs/heads/trunk\n");
  put(www, "sh/~o/r/info/refs", `${REV2}\trefs/heads/other\n${REV}\trefs/heads/trunk\n`);
  archive(path.join(www, `sh/~o/r/archive/${REV}.tar.gz`), `r-${REV}`, "{ }\n");
  const server = await startTestServer(www);
  try {
    const { ctx } = testContext({ gitlabUrl: `${server.url}/gl`, sourcehutUrl: `${server.url}/sh` });
    const gl = fetchTree(ctx, { type: "gitlab", owner: "o", repo: "r" });
    assert.equal(gl.rev, REV);
    assert.deepEqual(Object.keys(gl.locked), ["lastModified", "narHash", "owner", "repo", "rev", "type"]);
    const sh = fetchTree(ctx, { type: "sourcehut", owner: "~o", repo: "r" });
    assert.equal(sh.rev, REV);
    assert.equal(sh.narHash, gl.narHash);
    assert.throws(() => fetchTree(ctx, { type: "sourcehut", owner: "~o", repo: "r", ref: "nope" }), /cannot find ref 'nope'/);
  } finally {
    server.stop();
  }
});
