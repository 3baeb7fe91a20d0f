// The `git` input type: a commit of a local or remote repository (remote ones through a bare
// cache repository per URL), or the tracked files of a local work tree with uncommitted changes.

import * as fs from "node:fs";
import * as path from "node:path";
import type { FileType } from "../eval/state.js";
import type { FetchContext, FetchedTree, InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";
import { git, gitBytes, gitSucceeds } from "./git-command.js";
import { unpackArchive } from "./archive.js";
import { GitObjectReader, gitDirOf, hasCommitObject } from "./git-objects.js";
import { addGitTreeToStore, gitArchiveIsPlain } from "./git-tree-export.js";
import { headStateWithoutGit } from "./git-work-tree.js";
import {
  addTreeToStore,
  type AddedTree,
  cacheSubdir,
  narHashOf,
  checkAttrNames,
  formatDate,
  getBool,
  getStr,
  isCommitHash,
  nowSeconds,
  readJson,
  requireStr,
  sha256Hex,
  sortAttrs,
  withTemp,
  writeJson,
} from "./util.js";

export const GIT_ATTRS = [
  "url", "ref", "rev", "shallow", "submodules", "allRefs", "lastModified", "revCount", "narHash", "name",
  "dirtyRev", "dirtyShortRev", "lfs", "exportIgnore", "verifyCommit", "keytype", "publicKey", "publicKeys", "dir",
];

interface GitParams {
  readonly url: string;
  readonly ref?: string;
  readonly rev?: string;
  readonly shallow: boolean;
  readonly submodules: boolean;
  readonly allRefs: boolean;
  readonly name: string;
}

function params(attrs: InputAttrs): GitParams {
  checkAttrNames(attrs, "git", GIT_ATTRS);
  const rev = getStr(attrs, "rev");
  if (rev !== undefined && !isCommitHash(rev)) throw new FetchError(`hash '${rev}' is not a valid Git commit hash`);
  const ref = getStr(attrs, "ref");
  if (ref !== undefined && !isValidRefName(ref)) throw new FetchError(`invalid Git branch/tag name '${ref}'`);
  return {
    url: requireStr(attrs, "url"),
    ref,
    rev,
    shallow: getBool(attrs, "shallow") ?? false,
    submodules: getBool(attrs, "submodules") ?? false,
    allRefs: getBool(attrs, "allRefs") ?? false,
    name: getStr(attrs, "name") ?? "source",
  };
}

/** Roughly git's check-ref-format rules (enough to keep option-like or odd names out). */
function isValidRefName(ref: string): boolean {
  if (ref === "" || ref.startsWith("-") || ref.startsWith("/") || ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock")) return false;
  if (/\.\.|\/\/|@\{|[\x00-\x20\x7f~^:?*[\\]|(^|\/)\./.test(ref)) return false;
  return ref !== "@";
}

/** The local directory of a `file://` URL or absolute path, or null for a remote URL. */
export function localGitPath(url: string): string | null {
  if (url.startsWith("/")) return url;
  if (!url.startsWith("file:")) return null;
  let rest = url.slice("file:".length);
  if (rest.startsWith("//")) {
    rest = rest.slice(2);
    const slash = rest.indexOf("/");
    const host = slash === -1 ? rest : rest.slice(0, slash);
    if (host !== "" && host !== "localhost") throw new FetchError(`file:// URL '${url}' has a host name`);
    rest = slash === -1 ? "/" : rest.slice(slash);
  }
  const q = rest.search(/[?#]/);
  if (q !== -1) rest = rest.slice(0, q);
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

export function fetchGit(ctx: FetchContext, attrs: InputAttrs): FetchedTree {
  const p = params(attrs);
  const local = localGitPath(p.url);
  if (local !== null && p.ref === undefined && p.rev === undefined && fs.existsSync(path.join(local, ".git"))) {
    const head = workTreeState(local, p.submodules);
    if (head.dirty) return fetchDirty(ctx, attrs, p, local, head.rev, head.files);
    return fetchCommit(ctx, attrs, p, local, local, head.branch, head.rev!);
  }
  if (local !== null) {
    if (!fs.existsSync(local)) throw new FetchError(`repository '${p.url}' does not exist`);
    const ref = p.ref ?? (p.rev === undefined ? currentBranch(local) : undefined);
    const rev = p.rev ?? resolveLocalRef(local, ref!, p.url);
    if (!hasCommit(local, rev)) throw missingRev(rev, p.ref ?? currentBranch(local), local);
    return fetchCommit(ctx, attrs, p, local, local, ref, rev);
  }
  const remote = fetchRemote(ctx, p);
  return fetchCommit(ctx, attrs, p, remote.repoDir, p.url, remote.ref, remote.rev);
}

function missingRev(rev: string, ref: string, repo: string): FetchError {
  return new FetchError(
    `Cannot find Git revision '${rev}' in ref '${ref}' of repository '${repo}'! Please make sure that the rev exists on the ref you've specified or add allRefs = true; to fetchGit.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Local repositories

interface WorkTreeState {
  readonly dirty: boolean;
  /** HEAD's commit, or undefined for a repository without commits. */
  readonly rev?: string;
  /** The checked-out branch (`HEAD` when detached). */
  readonly branch: string;
  /** The tracked files (byte strings), when known without `git ls-files`. */
  readonly files?: readonly string[];
}

/**
 * HEAD's commit, its branch and whether tracked files changed: from the repository's files when
 * they settle it (git-work-tree.ts), else from one `git status` (locking many inputs runs git a
 * lot). Intent-to-add files count as changes, as with `git diff HEAD`.
 */
function workTreeState(dir: string, submodules: boolean): WorkTreeState {
  const known = submodules || process.env.TIX_GIT_OBJECTS === "0" ? null : headStateWithoutGit(dir);
  if (known !== null) return known;
  const args = ["--no-optional-locks", "-C", dir, "status", "--porcelain=v2", "--branch", "--untracked-files=no"];
  // Changes inside submodules only matter when the submodules are copied too.
  if (!submodules) args.push("--ignore-submodules=all");
  let rev: string | undefined;
  let branch = "HEAD";
  let dirty = false;
  for (const line of gitBytes(args).toString("utf8").split("\n")) {
    if (line.startsWith("# branch.oid ")) {
      const oid = line.slice(13);
      if (/^[0-9a-f]{40,64}$/.test(oid)) rev = oid;
    } else if (line.startsWith("# branch.head ")) {
      const head = line.slice(14);
      if (head !== "(detached)") branch = head;
    } else if (line !== "" && !line.startsWith("#")) dirty = true;
  }
  return { dirty: dirty || rev === undefined, rev, branch };
}

/** The checked-out branch (`HEAD` when detached). */
function currentBranch(dir: string): string {
  try {
    return git(["-C", dir, "rev-parse", "--abbrev-ref", "HEAD"]);
  } catch {
    return "HEAD";
  }
}

function hasCommit(repo: string, rev: string): boolean {
  // Reading the object settles the common case (a locked commit that is there) without git.
  if (process.env.TIX_GIT_OBJECTS !== "0" && hasCommitObject(repo, rev)) return true;
  return gitSucceeds(["-C", repo, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`], [0, 1, 128]);
}

function resolveLocalRef(repo: string, ref: string, url: string): string {
  try {
    return git(["-C", repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new FetchError(`cannot find Git reference '${ref}' in repository '${url}'`);
  }
}

function fetchDirty(
  ctx: FetchContext,
  attrs: InputAttrs,
  p: GitParams,
  dir: string,
  head: string | undefined,
  tracked: readonly string[] | undefined,
): FetchedTree {
  if (!ctx.settings.allowDirty) throw new FetchError(`Git tree '${dir}' is dirty`);
  ctx.warn(`Git tree '${dir}' is dirty`);
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const f of tracked ?? listTrackedFiles(dir, p.submodules)) {
    if (f === "") continue;
    files.add(f);
    for (let i = f.indexOf("/"); i !== -1; i = f.indexOf("/", i + 1)) dirs.add(f.slice(0, i));
  }
  const filter = (rel: string, type: FileType): boolean => (type === "directory" ? dirs.has(rel) : files.has(rel));
  const added = addTreeToStore(ctx, dir, p.name, filter);
  const lastModified = head === undefined ? 0 : commitTimeOf(dir, head);
  const locked: Record<string, string | number | boolean> = { ...attrs, lastModified, narHash: added.narHash };
  const extra: { dirtyRev?: string; dirtyShortRev?: string } = {};
  if (head !== undefined) {
    extra.dirtyRev = `${head}-dirty`;
    extra.dirtyShortRev = `${head.slice(0, 7)}-dirty`;
  }
  return {
    storePath: added.storePath,
    narHash: added.narHash,
    locked: sortAttrs(locked),
    lastModified,
    lastModifiedDate: formatDate(lastModified),
    submodules: p.submodules,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Commits

/** `git ls-files` (byte strings), with the files of submodules when they are copied too. */
function listTrackedFiles(dir: string, submodules: boolean): string[] {
  const args = ["-C", dir, "ls-files", "-z"];
  if (submodules) args.push("--recurse-submodules");
  return gitBytes(args).toString("latin1").split("\0");
}

/** The committer time of `rev`, from the repository's objects when it can be read there. */
function commitTimeOf(repo: string, rev: string): number {
  const gitDir = process.env.TIX_GIT_OBJECTS === "0" ? null : gitDirOf(repo);
  if (gitDir !== null) {
    let reader: GitObjectReader | undefined;
    try {
      reader = new GitObjectReader(gitDir);
      return reader.commit(rev).commitTime;
    } catch {
      // left to git
    } finally {
      reader?.close();
    }
  }
  return commitTime(repo, rev);
}

function commitTime(repo: string, rev: string): number {
  return Number(git(["-C", repo, "log", "-1", "--format=%ct", "--no-show-signature", rev]));
}

function fetchCommit(
  ctx: FetchContext,
  attrs: InputAttrs,
  p: GitParams,
  repoDir: string,
  originUrl: string,
  ref: string | undefined,
  rev: string,
): FetchedTree {
  // Exports of a commit are remembered: the same commit always gives the same tree.
  const cacheFile = path.join(cacheSubdir(ctx, "git-exports"), `${sha256Hex(JSON.stringify([rev, p.submodules, p.shallow, p.name]))}.json`);
  const cached = readJson<ExportCache>(cacheFile);
  if (cached !== null && ctx.store.isValid(cached.storePath)) {
    return commitResult(attrs, p, ref, rev, { storePath: cached.storePath, narHash: narHashOf(ctx, cached.storePath) }, cached.lastModified, cached.revCount);
  }
  const direct = exportWithoutGit(ctx, p, repoDir, rev);
  if (direct !== null) {
    writeJson(cacheFile, { storePath: direct.added.storePath, lastModified: direct.lastModified, revCount: direct.revCount } satisfies ExportCache);
    return commitResult(attrs, p, ref, rev, direct.added, direct.lastModified, direct.revCount);
  }
  const lastModified = commitTime(repoDir, rev);
  const revCount = p.shallow ? undefined : Number(git(["-C", repoDir, "rev-list", "--count", rev]));
  const added = withTemp("git-export", (tmp) => {
    const tree = path.join(tmp, "tree");
    if (p.submodules) {
      checkoutWithSubmodules(repoDir, originUrl, rev, tree);
      return addTreeToStore(ctx, tree, p.name, (rel) => path.posix.basename(rel) !== ".git");
    }
    const tar = path.join(tmp, "export.tar");
    const fd = fs.openSync(tar, "w");
    try {
      gitBytes(["-C", repoDir, "archive", "--format=tar", rev], { stdoutFd: fd });
    } finally {
      fs.closeSync(fd);
    }
    unpackArchive(tar, tree);
    return addTreeToStore(ctx, tree, p.name);
  });
  writeJson(cacheFile, { storePath: added.storePath, lastModified, revCount } satisfies ExportCache);
  return commitResult(attrs, p, ref, rev, added, lastModified, revCount);
}

/** Histories longer than this are counted by `git rev-list --count` rather than walked here. */
const REV_COUNT_WALK_LIMIT = 5000;

/**
 * Commit time, revision count and tree of `rev` read from the repository's objects, without
 * running git; null when the repository or tree needs git (see git-objects.ts), and always when
 * TIX_GIT_OBJECTS=0 (tests compare both ways).
 */
function exportWithoutGit(
  ctx: FetchContext,
  p: GitParams,
  repoDir: string,
  rev: string,
): { added: AddedTree; lastModified: number; revCount: number | undefined } | null {
  if (p.submodules || process.env.TIX_GIT_OBJECTS === "0" || !gitArchiveIsPlain()) return null;
  const gitDir = gitDirOf(repoDir);
  if (gitDir === null) return null;
  let reader: GitObjectReader | undefined;
  try {
    reader = new GitObjectReader(gitDir);
    const commit = reader.commit(rev);
    let revCount: number | undefined;
    if (!p.shallow) {
      revCount = reader.revCount(rev, REV_COUNT_WALK_LIMIT) ?? Number(git(["-C", repoDir, "rev-list", "--count", rev]));
    }
    const added = addGitTreeToStore(ctx, reader, commit.tree, p.name);
    return { added, lastModified: commit.commitTime, revCount };
  } catch {
    // Anything unusual (GitUnsupported) or unreadable is left to git, which also gives the errors.
    return null;
  } finally {
    reader?.close();
  }
}

interface ExportCache {
  storePath: string;
  lastModified: number;
  revCount?: number;
}

function commitResult(
  attrs: InputAttrs,
  p: GitParams,
  ref: string | undefined,
  rev: string,
  added: { storePath: string; narHash: string },
  lastModified: number,
  revCount: number | undefined,
): FetchedTree {
  const locked: Record<string, string | number | boolean> = { ...attrs, lastModified, narHash: added.narHash, rev };
  if (ref !== undefined && p.rev === undefined) locked.ref = ref;
  if (revCount !== undefined) locked.revCount = revCount;
  return {
    storePath: added.storePath,
    narHash: added.narHash,
    locked: sortAttrs(locked),
    rev,
    shortRev: rev.slice(0, 7),
    revCount,
    lastModified,
    lastModifiedDate: formatDate(lastModified),
    submodules: p.submodules,
  };
}

/** Checks out `rev` with its submodules into `dest` (a fresh clone, `.git` directories included). */
function checkoutWithSubmodules(repoDir: string, originUrl: string, rev: string, dest: string): void {
  gitBytes(["clone", "--quiet", "--no-checkout", "--", repoDir, dest]);
  // Relative submodule URLs are resolved against the origin, which must be the real repository.
  const origin = localGitPath(originUrl) ?? originUrl;
  gitBytes(["-C", dest, "remote", "set-url", "origin", origin]);
  gitBytes(["-C", dest, "-c", "advice.detachedHead=false", "checkout", "--quiet", rev]);
  gitBytes(["-C", dest, "-c", "protocol.file.allow=always", "submodule", "--quiet", "update", "--init", "--recursive"]);
}

// ---------------------------------------------------------------------------------------------
// Remote repositories, through a bare cache repository

interface RefCache {
  [ref: string]: { rev: string; time: number };
}

interface RemoteResult {
  readonly repoDir: string;
  readonly ref?: string;
  readonly rev: string;
}

function fetchRemote(ctx: FetchContext, p: GitParams): RemoteResult {
  const repoDir = path.join(cacheSubdir(ctx, "git"), sha256Hex(`${p.url}${p.shallow ? "\0shallow" : ""}`).slice(0, 52));
  if (!fs.existsSync(path.join(repoDir, "HEAD"))) {
    fs.mkdirSync(repoDir, { recursive: true });
    gitBytes(["-C", repoDir, "init", "--quiet", "--bare"]);
  }
  const refsFile = path.join(repoDir, "tix-refs.json");
  const refs = readJson<RefCache>(refsFile) ?? {};
  const fresh = (k: string): string | undefined => {
    const e = refs[k];
    return e !== undefined && (ctx.settings.offline || nowSeconds() - e.time < ctx.settings.tarballTtl) ? e.rev : undefined;
  };
  const remember = (k: string, rev: string): void => {
    refs[k] = { rev, time: nowSeconds() };
    writeJson(refsFile, refs);
  };

  let ref = p.ref;
  if (ref === undefined && p.rev === undefined) ref = defaultRef(ctx, p.url, fresh("HEAD"), remember);

  if (p.rev !== undefined) {
    if (hasCommit(repoDir, p.rev)) return { repoDir, ref, rev: p.rev };
    if (ctx.settings.offline) throw new FetchError(`cannot fetch Git revision '${p.rev}' of '${p.url}' in offline mode`);
    const tried = ref ?? defaultRef(ctx, p.url, fresh("HEAD"), remember);
    fetchInto(repoDir, p, p.allRefs ? "+refs/*:refs/tix-all/*" : tried, tried);
    if (!hasCommit(repoDir, p.rev)) {
      // Servers usually allow asking for a commit directly.
      try {
        fetchInto(repoDir, p, p.rev, p.rev);
      } catch {
        // fall through to the error below
      }
    }
    if (!hasCommit(repoDir, p.rev)) throw missingRev(p.rev, tried, p.url);
    return { repoDir, ref, rev: p.rev };
  }

  const known = fresh(`ref:${ref}`);
  if (known !== undefined && hasCommit(repoDir, known)) return { repoDir, ref, rev: known };
  if (ctx.settings.offline) {
    const stale = refs[`ref:${ref}`];
    if (stale !== undefined && hasCommit(repoDir, stale.rev)) return { repoDir, ref, rev: stale.rev };
    throw new FetchError(`cannot fetch '${p.url}' in offline mode`);
  }
  let rev: string;
  try {
    rev = fetchInto(repoDir, p, ref!, ref!);
  } catch (e) {
    const stale = refs[`ref:${ref}`];
    if (stale !== undefined && hasCommit(repoDir, stale.rev)) {
      ctx.warn(`could not update Git repository '${p.url}'; continuing with the most recent version`);
      return { repoDir, ref, rev: stale.rev };
    }
    throw e;
  }
  remember(`ref:${ref}`, rev);
  return { repoDir, ref, rev };
}

/** Fetches `what` (a ref, a refspec or a commit) into the cache; returns the fetched commit. */
function fetchInto(repoDir: string, p: GitParams, what: string, label: string): string {
  const args = ["-C", repoDir, "-c", "protocol.file.allow=always", "fetch", "--quiet", "--force", "--no-tags"];
  if (p.shallow) args.push("--depth=1");
  args.push("--", p.url, what);
  gitBytes(args);
  const rev = git(["-C", repoDir, "rev-parse", "--verify", "FETCH_HEAD^{commit}"]);
  // Keep what was fetched reachable, so the cache survives `git gc`.
  gitBytes(["-C", repoDir, "update-ref", `refs/tix/${sha256Hex(label).slice(0, 32)}`, rev]);
  return rev;
}

/** The branch the remote's HEAD points to (`git ls-remote --symref URL HEAD`). */
function defaultRef(
  ctx: FetchContext,
  url: string,
  cached: string | undefined,
  remember: (k: string, v: string) => void,
): string {
  if (cached !== undefined) return cached;
  if (ctx.settings.offline) throw new FetchError(`cannot find the default branch of '${url}' in offline mode`);
  const out = git(["-c", "protocol.file.allow=always", "ls-remote", "--symref", "--", url, "HEAD"]);
  const m = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out);
  const ref = m === null ? "HEAD" : m[1];
  remember("HEAD", ref);
  return ref;
}
