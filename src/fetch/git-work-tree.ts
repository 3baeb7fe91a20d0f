// What `git status` and `git ls-files` say about a local work tree, without running them: HEAD
// from the refs, the index (versions 2 and 3) compared with HEAD's tree, and every tracked file's
// `lstat` compared with what the index recorded; files whose stat data changed, or that may have
// changed in the second the index was written, are re-hashed as git does. Only where nothing
// converts contents (no eol/filter configuration, no attributes). Any doubt (submodules, conflicts,
// flagged entries, a changed executable bit, an unborn branch) returns null: the caller asks git.

import * as fs from "node:fs";
import * as path from "node:path";
import { GitObjectReader } from "./git-objects.js";
import { sha1Hex } from "./sha1.js";
import { configIsPlain, gitArchiveIsPlain } from "./git-tree-export.js";

export interface HeadState {
  /** HEAD's commit. */
  readonly rev: string;
  /** The checked-out branch (`HEAD` when detached), as `git status --branch` names it. */
  readonly branch: string;
  /** Whether tracked files differ from HEAD (staged or not), as `git status` would say. */
  readonly dirty: boolean;
  /** The tracked files (`git ls-files`), as byte strings. */
  readonly files: readonly string[];
}

/** Work trees with more tracked files than this are left to `git status`. */
const MAX_FILES = 5000;

/** Racily-clean files are re-hashed up to this many bytes in total; beyond, git decides. */
const REHASH_BUDGET = 32 << 20;

/**
 * HEAD, its branch and whether the work tree at `dir` has changes to tracked files, when the
 * repository's files settle it (see above); null when git must be asked.
 */
export function headStateWithoutGit(dir: string): HeadState | null {
  const gitDir = path.join(dir, ".git");
  let reader: GitObjectReader | undefined;
  try {
    if (!fs.statSync(gitDir).isDirectory()) return null;
    // Comparing raw contents is only what git does when nothing converts them (eol, filters).
    if (!gitArchiveIsPlain() || !configIsPlain(path.join(gitDir, "config")) || fs.existsSync(path.join(gitDir, "info", "attributes"))) return null;
    reader = new GitObjectReader(gitDir);
    const head = readHead(gitDir);
    if (head === null) return null;
    const index = readIndex(path.join(gitDir, "index"));
    // In a large work tree one `git status` (with its cache of tree hashes) is cheaper.
    if (index === null || index.entries.length > MAX_FILES) return null;
    const files = index.entries.map((e) => e.name.toString("latin1"));
    // Files added with --intent-to-add (as `flake lock` does with a new flake.lock) are changes.
    if (index.entries.some((e) => e.intentToAdd)) return { ...head, dirty: true, files };
    const staged = indexDiffersFromTree(index.entries, reader, reader.commit(head.rev).tree);
    if (staged === null) return null;
    if (staged) return { ...head, dirty: true, files };
    const changed = workTreeDiffersFromIndex(dir, index);
    return changed === null ? null : { ...head, dirty: changed, files };
  } catch {
    return null;
  } finally {
    reader?.close();
  }
}

function readHead(gitDir: string): { rev: string; branch: string } | null {
  const head = fs.readFileSync(path.join(gitDir, "HEAD"), "latin1").trim();
  if (/^[0-9a-f]{40}$/.test(head)) return { rev: head, branch: "HEAD" };
  const m = /^ref: (refs\/heads\/(\S+))$/.exec(head);
  if (m === null) return null;
  const rev = resolveRef(gitDir, m[1]);
  return rev === null ? null : { rev, branch: m[2] };
}

/** A branch's commit from its loose ref file or packed-refs; null when missing or symbolic. */
function resolveRef(gitDir: string, ref: string): string | null {
  try {
    const text = fs.readFileSync(path.join(gitDir, ref), "latin1").trim();
    return /^[0-9a-f]{40}$/.test(text) ? text : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") return null;
  }
  let packed: string;
  try {
    packed = fs.readFileSync(path.join(gitDir, "packed-refs"), "latin1");
  } catch {
    return null;
  }
  for (const line of packed.split("\n")) {
    if (line.endsWith(" " + ref) && /^[0-9a-f]{40} /.test(line)) return line.slice(0, 40);
  }
  return null;
}

interface IndexEntry {
  readonly ctimeSec: number;
  readonly ctimeNsec: number;
  readonly mtimeSec: number;
  readonly mtimeNsec: number;
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly id: string;
  /** The path as raw bytes. */
  readonly name: Buffer;
  /** `git add --intent-to-add`: listed, and a change for `git status`. */
  readonly intentToAdd: boolean;
}

const INTENT_TO_ADD = 0x2000;

interface GitIndex {
  readonly entries: IndexEntry[];
  readonly mtimeSec: number;
}

/** Parses a version 2 or 3 index without conflicts, unusual flags or split/sparse parts; else null. */
function readIndex(file: string): GitIndex | null {
  const buf = fs.readFileSync(file);
  if (buf.length < 12 + 20 || buf.toString("latin1", 0, 4) !== "DIRC") return null;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return null;
  const count = buf.readUInt32BE(8);
  const entries: IndexEntry[] = [];
  let pos = 12;
  for (let n = 0; n < count; n++) {
    if (pos + 62 > buf.length) return null;
    const flags = buf.readUInt16BE(pos + 60);
    // Conflict stages and assume-valid entries: git decides.
    if ((flags & 0xb000) !== 0) return null;
    // Version 3 extended flags: intent-to-add is understood, skip-worktree and others are not.
    const extended = (flags & 0x4000) !== 0 ? buf.readUInt16BE(pos + 62) : 0;
    if ((extended & ~INTENT_TO_ADD) !== 0 || (extended !== 0 && version !== 3)) return null;
    const headerSize = (flags & 0x4000) !== 0 ? 64 : 62;
    const nameStart = pos + headerSize;
    const nul = buf.indexOf(0, nameStart);
    if (nul === -1) return null;
    entries.push({
      ctimeSec: buf.readUInt32BE(pos),
      ctimeNsec: buf.readUInt32BE(pos + 4),
      mtimeSec: buf.readUInt32BE(pos + 8),
      mtimeNsec: buf.readUInt32BE(pos + 12),
      ino: buf.readUInt32BE(pos + 20),
      mode: buf.readUInt32BE(pos + 24),
      uid: buf.readUInt32BE(pos + 28),
      gid: buf.readUInt32BE(pos + 32),
      size: buf.readUInt32BE(pos + 36),
      id: buf.toString("hex", pos + 40, pos + 60),
      name: buf.subarray(nameStart, nul),
      intentToAdd: (extended & INTENT_TO_ADD) !== 0,
    });
    // Entries are padded with 1–8 NUL bytes to a multiple of 8.
    pos += (headerSize + (nul - nameStart) + 8) & ~7;
  }
  while (pos + 8 <= buf.length - 20) {
    const sig = buf.toString("latin1", pos, pos + 4);
    // A split index or a sparse index lists only part of the files.
    if (sig === "link" || sig === "sdir") return null;
    pos += 8 + buf.readUInt32BE(pos + 4);
  }
  return { entries, mtimeSec: Math.floor(fs.statSync(file).mtimeMs / 1000) };
}

const MODES = new Map([[0o100644, "100644"], [0o100755, "100755"], [0o120000, "120000"]]);

/** Whether the index differs from HEAD's tree (something is staged); null with submodules. */
function indexDiffersFromTree(entries: readonly IndexEntry[], reader: GitObjectReader, treeId: string): boolean | null {
  const tree = new Map<string, string>();
  let unsure = false;
  const walk = (id: string, prefix: string): void => {
    for (const e of reader.tree(id)) {
      if (e.mode === "40000") walk(e.id, prefix + e.name + "/");
      else if (e.mode === "100644" || e.mode === "100755" || e.mode === "120000") tree.set(prefix + e.name, `${e.mode} ${e.id}`);
      else unsure = true; // submodules, and old non-canonical modes such as 100664
    }
  };
  walk(treeId, "");
  let differs = tree.size !== entries.length;
  for (const e of entries) {
    const mode = MODES.get(e.mode);
    // Submodules (ignored by `git status --ignore-submodules`) and attributes: git decides.
    if (mode === undefined) return null;
    const name = e.name.toString("latin1");
    if (name === ".gitattributes" || name.endsWith("/.gitattributes")) return null;
    if (tree.get(name) !== `${mode} ${e.id}`) differs = true;
  }
  return unsure ? null : differs;
}

/** Whether a tracked file changed (contents, type, deletion); null when unsure (git decides). */
function workTreeDiffersFromIndex(dir: string, index: GitIndex): boolean | null {
  const root = Buffer.from(dir + "/");
  let budget = REHASH_BUDGET;
  for (const e of index.entries) {
    const file = Buffer.concat([root, e.name]);
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(file, { bigint: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return true; // deleted
      return null;
    }
    const isLink = e.mode === 0o120000;
    if (isLink ? !st.isSymbolicLink() : !st.isFile()) return st.isSymbolicLink() || st.isFile() ? true : null;
    // The executable bit counts unless core.fileMode is off: let git look at that.
    if (!isLink && ((st.mode & 0o100n) !== 0n) !== (e.mode === 0o100755)) return null;
    const size = Number(st.size & 0xffffffffn);
    // A recorded size of 0 may be git's mark for "compare the contents" (racily clean entries).
    if (size !== e.size && e.size !== 0) return true;
    const sec = (ns: bigint): number => Number(ns / 1_000_000_000n);
    const nsec = (ns: bigint): number => Number(ns % 1_000_000_000n);
    const statSame =
      sec(st.mtimeNs) === e.mtimeSec &&
      nsec(st.mtimeNs) === e.mtimeNsec &&
      sec(st.ctimeNs) === e.ctimeSec &&
      nsec(st.ctimeNs) === e.ctimeNsec &&
      Number(st.ino & 0xffffffffn) === e.ino &&
      Number(st.uid) === e.uid &&
      Number(st.gid) === e.gid;
    // Unchanged stat data settles it, unless the file may have changed in the second the index
    // was written (git re-hashes such racily clean entries too).
    if (statSame && e.mtimeSec < index.mtimeSec) continue;
    budget -= size;
    if (budget < 0) return null;
    const data = isLink ? fs.readlinkSync(file, { encoding: "buffer" }) : fs.readFileSync(file);
    if (blobId(data) !== e.id) return true;
  }
  return false;
}

function blobId(data: Buffer): string {
  return sha1Hex(Buffer.from(`blob ${data.length}\0`, "latin1"), data);
}
