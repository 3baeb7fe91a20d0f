// Tests of the fetch builtins through the evaluator (fetchGit, fetchTree, fetchTarball, fetchurl),
// pure-mode refusals, and comparisons of their results with Nix's.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { Evaluator } from "../eval/evaluator.js";
import { EvalError } from "../eval/errors.js";
import { nodeEvalIO } from "../eval/fs-io.js";
import { defaultSettings } from "../eval/state.js";
import { NixString } from "../eval/value.js";
import { STORE_BUILTINS } from "../store/builtins/index.js";
import { makeFetchBuiltins } from "./index.js";
import { commit, freshDir, initRepo, oracle, runGit, testContext, writeFiles } from "./test-support.js";

const root = freshDir("builtins-");
const repo = initRepo(path.join(root, "repo"));
commit(repo, { "default.nix": "42\n", "a/b": "b\n" }, 1600000000);
const rev2 = commit(repo, { "c": "c\n" }, 1600000100);
runGit(repo, ["branch", "other"]);
writeFiles(path.join(root, "tb"), { "top/x": "x\n" });
spawnSync("tar", ["-czf", path.join(root, "t.tar.gz"), "top"], { cwd: path.join(root, "tb") });
const nix = oracle();
const t = testContext();

function evaluator(pure: boolean): Evaluator {
  return new Evaluator({
    settings: { ...defaultSettings, pure },
    io: nodeEvalIO({}),
    store: t.store,
    extraBuiltins: [...STORE_BUILTINS, makeFetchBuiltins(() => t.ctx)],
  });
}

/** `builtins.toJSON (EXPR)` evaluated by tix, parsed. */
function evalJson(expr: string, pure = false): unknown {
  const ev = evaluator(pure);
  const v = ev.state.forceDeep(ev.evalString(`builtins.toJSON (${expr})`, "/"));
  return JSON.parse(v instanceof NixString ? v.s : (v as string));
}

function evalError(expr: string, pure = true): string {
  try {
    evalJson(expr, pure);
  } catch (e) {
    if (e instanceof EvalError) return e.message;
    throw e;
  }
  throw new Error(`${expr} did not fail`);
}

/** The result set with outPath renamed (toJSON would print only outPath). */
const attrsOf = (e: string): string => `let r = ${e}; in removeAttrs r [ "outPath" ] // { path = r.outPath; }`;

test("fetchGit and fetchTree of a git repository give what Nix gives", () => {
  const cases = [
    `builtins.fetchGit ${repo}`,
    `builtins.fetchGit { url = "file://${repo}"; ref = "other"; }`,
    `builtins.fetchGit { url = ${repo}; rev = "${rev2}"; }`,
    `builtins.fetchTree { type = "git"; url = "file://${repo}"; }`,
    `builtins.fetchTree "git+file://${repo}?ref=other"`,
  ];
  for (const c of cases) {
    const mine = evalJson(attrsOf(c)) as Record<string, unknown>;
    assert.equal(mine.rev, rev2, c);
    assert.equal(mine.revCount, 2, c);
    assert.equal(mine.lastModifiedDate, "20200913122820", c);
    if (nix !== null && !c.includes('"git+file')) assert.deepEqual(mine, nix.evalJson(attrsOf(c)), c);
  }
});

test("fetchGit of a dirty tree: zero rev, dirtyRev", () => {
  const dirty = path.join(root, "dirty");
  runGit(root, ["clone", "-q", repo, dirty]);
  writeFiles(dirty, { c: "changed\n" });
  const mine = evalJson(attrsOf(`builtins.fetchGit ${dirty}`)) as Record<string, unknown>;
  assert.equal(mine.rev, "0".repeat(40));
  assert.equal(mine.shortRev, "0000000");
  assert.equal(mine.revCount, 0);
  assert.equal(mine.dirtyRev, `${rev2}-dirty`);
  if (nix !== null) {
    const theirs = nix.evalJson(attrsOf(`builtins.fetchGit ${dirty}`)) as Record<string, unknown>;
    delete mine.dirtyRev;
    delete mine.dirtyShortRev;
    assert.deepEqual(mine, theirs);
  }
});

test("fetchTarball, fetchurl and fetchTree of paths and tarballs", () => {
  const url = `file://${root}/t.tar.gz`;
  const exprs = [
    `builtins.fetchTarball "${url}"`,
    `builtins.fetchTarball { url = "${url}"; name = "foo"; }`,
    `builtins.fetchurl "${url}"`,
    `(builtins.fetchTree { type = "tarball"; url = "${url}"; }).narHash`,
    `let r = builtins.fetchTree { type = "path"; path = "${repo}/a"; }; in [ r.outPath r.narHash ]`,
    `builtins.fetchTree "path:${repo}/a"`,
  ];
  const results = exprs.map((e) => evalJson(e));
  if (nix !== null) {
    for (let i = 0; i < exprs.length - 1; i++) assert.deepEqual(results[i], nix.evalJson(exprs[i]), exprs[i]);
    // With the right hash, pure mode accepts them (and finds them in the store).
    const narHash = results[3] as string;
    const fileHash = nix.run(["hash", "file", "--base32", path.join(root, "t.tar.gz")]).trim();
    assert.equal(evalJson(`builtins.fetchTarball { url = "${url}"; sha256 = "${narHash}"; }`, true), results[0]);
    assert.equal(evalJson(`builtins.fetchurl { url = "${url}"; sha256 = "${fileHash}"; }`, true), results[2]);
  }
  const zeros = "0000000000000000000000000000000000000000000000000000";
  assert.match(
    evalError(`builtins.fetchTarball { url = "${url}"; sha256 = "${zeros}"; }`),
    new RegExp(`^hash mismatch in file downloaded from '${url}':\\n  specified: sha256:${zeros}\\n  got:       sha256:[0-9a-z]{52}$`),
  );
  assert.match(evalError(`builtins.fetchurl { url = "${url}"; sha256 = "${zeros}"; }`), /^hash mismatch in file downloaded from/);
});

test("pure mode refuses unlocked fetches", () => {
  assert.equal(evalError(`builtins.fetchTarball "file:///x.tar.gz"`), "in pure evaluation mode, 'fetchTarball' requires a 'sha256' argument");
  assert.equal(evalError(`builtins.fetchurl "file:///x"`), "in pure evaluation mode, 'fetchurl' requires a 'sha256' argument");
  assert.equal(evalError(`builtins.fetchGit ${repo}`), `in pure evaluation mode, 'fetchGit' will not fetch unlocked input 'git+file://${repo}'`);
  assert.equal(
    evalError(`builtins.fetchTree { type = "git"; url = "file://${repo}"; ref = "other"; }`),
    `in pure evaluation mode, 'fetchTree' will not fetch unlocked input 'git+file://${repo}?ref=other'`,
  );
  assert.equal(evalError(`builtins.fetchTree { url = "x"; }`, false), "attribute 'type' is missing in call to 'fetchTree'");
  assert.equal(evalError(`builtins.fetchGit { url = "x"; foo = 1; }`, false), "unsupported argument 'foo' to 'fetchGit'");
  // A locked git input is fine.
  const locked = evalJson(`(builtins.fetchGit { url = "file://${repo}"; rev = "${rev2}"; }).revCount`, true);
  assert.equal(locked, 2);
});

test("fetchTree of a path: lastModified is the newest modification time in the tree, directories and symlinks included", () => {
  const tree = path.join(root, "mtimes");
  writeFiles(tree, { "f": "f\n", "sub/g": "g\n" });
  fs.symlinkSync("f", path.join(tree, "link"));
  const set = (rel: string, seconds: number): void => fs.lutimesSync(path.join(tree, rel), seconds, seconds + 0.5);
  const expr = `(builtins.fetchTree { type = "path"; path = "${tree}"; }).lastModified`;
  // Each entry in turn is the newest; times are set children first so a directory keeps its own.
  const order = ["sub/g", "f", "link", "sub", ""];
  for (const [i, newest] of order.entries()) {
    for (const [j, rel] of order.entries()) set(rel, j === i ? 1700000900 : 1700000000 + j);
    assert.equal(evalJson(expr), 1700000900, `newest: '${newest}'`);
    if (nix !== null) assert.equal(nix.evalJson(expr), 1700000900, `Nix, newest: '${newest}'`);
  }
});
