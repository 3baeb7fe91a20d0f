// Reading a git repository's objects directly (loose objects and version-2 pack files), so that
// locking a git input does not start a `git` process for each commit time, revision count and
// tree export: on this kind of machine every process costs 10-20 ms of CPU.
//
// Only the plain cases are handled; anything else (SHA-256 repositories, alternates, replace refs,
// grafts, shallow clones, version-1 pack indexes, submodule entries…) throws `GitUnsupported`,
// and the caller runs `git` as before.

import * as fs from "node:fs";
import * as path from "node:path";
import { inflateSync } from "node:zlib";

/** The repository uses something this reader does not handle: run `git` instead. */
export class GitUnsupported extends Error {}

export type GitObjectType = "commit" | "tree" | "blob" | "tag";

export interface GitObject {
  readonly type: GitObjectType;
  readonly data: Buffer;
}

export interface TreeEntry {
  /** Octal mode as git writes it: `100644`, `100755`, `120000`, `40000`, `160000`. */
  readonly mode: string;
  /** The name as a byte string (one char per byte). */
  readonly name: string;
  /** Hexadecimal object id. */
  readonly id: string;
}

export interface CommitInfo {
  readonly tree: string;
  readonly parents: readonly string[];
  /** Committer time, seconds since the epoch (what `git log --format=%ct` prints). */
  readonly commitTime: number;
}

/** Bytes of packed objects kept for deltas that are based on them. */
const DELTA_BASE_CACHE = 32 << 20;

const PACK_TYPES: readonly (GitObjectType | "ofs-delta" | "ref-delta" | null)[] = [
  null, "commit", "tree", "blob", "tag", null, "ofs-delta", "ref-delta",
];

/** The git directory of a work tree (`DIR/.git`, a directory) or of a bare repository; else null. */
export function gitDirOf(repo: string): string | null {
  const dotGit = path.join(repo, ".git");
  try {
    if (fs.statSync(dotGit).isDirectory()) return dotGit;
    return null; // a `gitdir:` file (linked work tree, submodule): leave it to git
  } catch {
    // no .git: maybe bare
  }
  return fs.existsSync(path.join(repo, "objects")) && fs.existsSync(path.join(repo, "HEAD")) ? repo : null;
}

/** Whether the repository at `repo` (work tree or bare) holds commit `id`; false also when unsure. */
export function hasCommitObject(repo: string, id: string): boolean {
  const gitDir = gitDirOf(repo);
  if (gitDir === null) return false;
  let reader: GitObjectReader | undefined;
  try {
    reader = new GitObjectReader(gitDir);
    return reader.read(id).type === "commit";
  } catch {
    return false;
  } finally {
    reader?.close();
  }
}

interface PackIndex {
  readonly packFile: string;
  fd: number;
  readonly packSize: number;
  readonly fanout: Uint32Array;
  readonly count: number;
  readonly idx: Buffer;
}

export class GitObjectReader {
  private readonly objectsDir: string;
  private packs: PackIndex[] | null = null;
  /**
   * Recently read packed objects by pack and offset: objects in a pack are deltas against one
   * another in long chains, and the objects of one tree tend to share their bases (git keeps such
   * a cache too). Bounded by DELTA_BASE_CACHE bytes, oldest first out.
   */
  private readonly baseCache = new Map<string, GitObject>();
  private baseCacheBytes = 0;

  constructor(readonly gitDir: string) {
    this.objectsDir = path.join(gitDir, "objects");
    checkPlainRepository(gitDir);
  }

  /** Closes the pack files opened so far. */
  close(): void {
    for (const p of this.packs ?? []) {
      if (p.fd !== -1) fs.closeSync(p.fd);
      p.fd = -1;
    }
    this.packs = null;
    this.baseCache.clear();
    this.baseCacheBytes = 0;
  }

  read(id: string): GitObject {
    if (!/^[0-9a-f]{40}$/.test(id)) throw new GitUnsupported(`not a SHA-1 object id: ${id}`);
    const loose = this.readLoose(id);
    if (loose !== null) return loose;
    const raw = Buffer.from(id, "hex");
    for (const pack of this.packIndexes()) {
      const offset = findInPack(pack, raw);
      if (offset !== -1) return this.readPacked(pack, offset, 0);
    }
    throw new GitUnsupported(`object ${id} not found`);
  }

  readTyped(id: string, type: GitObjectType): Buffer {
    const o = this.read(id);
    if (o.type !== type) throw new GitUnsupported(`object ${id} is a ${o.type}, not a ${type}`);
    return o.data;
  }

  commit(id: string): CommitInfo {
    return parseCommit(this.readTyped(id, "commit"));
  }

  tree(id: string): TreeEntry[] {
    return parseTree(this.readTyped(id, "tree"));
  }

  /**
   * The number of commits reachable from `id` (`git rev-list --count`), or null when there are
   * more than `limit` (walking a long history here would cost more than one `git` process).
   */
  revCount(id: string, limit: number): number | null {
    const seen = new Set<string>([id]);
    const todo = [id];
    while (todo.length > 0) {
      const c = this.commit(todo.pop()!);
      for (const p of c.parents) {
        if (!seen.has(p)) {
          if (seen.size >= limit) return null;
          seen.add(p);
          todo.push(p);
        }
      }
    }
    return seen.size;
  }

  private readLoose(id: string): GitObject | null {
    let compressed: Buffer;
    try {
      compressed = fs.readFileSync(path.join(this.objectsDir, id.slice(0, 2), id.slice(2)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    const bytes = inflateSync(compressed);
    const space = bytes.indexOf(0x20);
    const nul = bytes.indexOf(0);
    if (space === -1 || nul === -1 || space > nul) throw new GitUnsupported(`malformed loose object ${id}`);
    const type = bytes.toString("latin1", 0, space);
    if (type !== "commit" && type !== "tree" && type !== "blob" && type !== "tag") throw new GitUnsupported(`unknown object type '${type}'`);
    const data = bytes.subarray(nul + 1);
    if (data.length !== Number(bytes.toString("latin1", space + 1, nul))) throw new GitUnsupported(`loose object ${id} has the wrong size`);
    return { type, data };
  }

  private packIndexes(): PackIndex[] {
    if (this.packs !== null) return this.packs;
    const dir = path.join(this.objectsDir, "pack");
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith(".idx")).sort();
    } catch {
      names = [];
    }
    const packs: PackIndex[] = [];
    try {
      for (const n of names) packs.push(openPack(path.join(dir, n)));
    } catch (e) {
      for (const p of packs) fs.closeSync(p.fd);
      throw e;
    }
    this.packs = packs;
    return packs;
  }

  private readPacked(pack: PackIndex, offset: number, depth: number): GitObject {
    const key = `${pack.packFile}\0${offset}`;
    const cached = this.baseCache.get(key);
    if (cached !== undefined) return cached;
    const o = this.readPackedUncached(pack, offset, depth);
    if (o.data.length <= DELTA_BASE_CACHE / 8) {
      this.baseCache.set(key, o);
      this.baseCacheBytes += o.data.length;
      for (const [k, v] of this.baseCache) {
        if (this.baseCacheBytes <= DELTA_BASE_CACHE) break;
        this.baseCache.delete(k);
        this.baseCacheBytes -= v.data.length;
      }
    }
    return o;
  }

  private readPackedUncached(pack: PackIndex, offset: number, depth: number): GitObject {
    if (depth > 10000) throw new GitUnsupported("delta chain too long");
    const head = Buffer.alloc(32);
    const got = fs.readSync(pack.fd, head, 0, head.length, offset);
    let i = 0;
    let c = head[i++];
    const type = PACK_TYPES[(c >> 4) & 7];
    let size = c & 15;
    let shift = 4;
    while (c & 0x80) {
      if (i >= got) throw new GitUnsupported("truncated pack entry");
      c = head[i++];
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    if (type === null) throw new GitUnsupported("unknown pack entry type");
    let baseOffset = -1;
    let baseId: string | null = null;
    if (type === "ofs-delta") {
      c = head[i++];
      let back = c & 0x7f;
      while (c & 0x80) {
        if (i >= got) throw new GitUnsupported("truncated pack entry");
        c = head[i++];
        back = (back + 1) * 128 + (c & 0x7f);
      }
      baseOffset = offset - back;
    } else if (type === "ref-delta") {
      baseId = head.toString("hex", i, i + 20);
      i += 20;
    }
    const data = this.inflateAt(pack, offset + i, size);
    if (type !== "ofs-delta" && type !== "ref-delta") return { type, data };
    const base = baseId !== null ? this.read(baseId) : this.readPacked(pack, baseOffset, depth + 1);
    return { type: base.type, data: applyDelta(base.data, data) };
  }

  private inflateAt(pack: PackIndex, start: number, size: number): Buffer {
    // Deflate never grows data by more than a few bytes per 16 KiB block; read that much.
    const end = pack.packSize - 20;
    let window = Math.min(size + (size >> 8) + 64, end - start);
    for (;;) {
      const buf = Buffer.allocUnsafe(window);
      const n = fs.readSync(pack.fd, buf, 0, window, start);
      try {
        const out = inflateSync(buf.subarray(0, n));
        if (out.length !== size) throw new GitUnsupported("pack entry has the wrong size");
        return out;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "Z_BUF_ERROR" || window >= end - start) throw e;
        window = Math.min(window * 2, end - start);
      }
    }
  }
}

/** Throws GitUnsupported for repository features that change what `git` would read. */
function checkPlainRepository(gitDir: string): void {
  // git refuses repositories owned by another user ("dubious ownership") unless safe.directory
  // says otherwise: leave those to git, so that the same rule and message apply.
  const uid = process.getuid?.();
  if (uid !== undefined) {
    const owners = [gitDir, ...(path.basename(gitDir) === ".git" ? [path.dirname(gitDir)] : [])];
    if (owners.some((d) => fs.statSync(d).uid !== uid)) throw new GitUnsupported("repository owned by another user");
  }
  for (const f of ["objects/info/alternates", "objects/info/http-alternates", "info/grafts", "shallow", "commondir"]) {
    if (fs.existsSync(path.join(gitDir, f))) throw new GitUnsupported(`repository has ${f}`);
  }
  try {
    if (fs.readdirSync(path.join(gitDir, "refs", "replace")).length > 0) throw new GitUnsupported("repository has replace refs");
  } catch (e) {
    if (e instanceof GitUnsupported) throw e;
  }
  let packedRefs = "";
  try {
    packedRefs = fs.readFileSync(path.join(gitDir, "packed-refs"), "latin1");
  } catch {
    // none
  }
  if (packedRefs.includes(" refs/replace/")) throw new GitUnsupported("repository has replace refs");
  const config = fs.readFileSync(path.join(gitDir, "config"), "latin1").toLowerCase();
  // Extensions (SHA-256 objects, reftable refs…), includes and separate work trees: let git read them.
  if (/\[\s*(extensions|include)|worktree/.test(config)) throw new GitUnsupported("repository uses extensions, includes or a separate work tree");
}

function openPack(idxFile: string): PackIndex {
  const idx = fs.readFileSync(idxFile);
  if (idx.length < 8 + 1024 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) {
    throw new GitUnsupported(`pack index ${idxFile} is not version 2`);
  }
  const fanout = new Uint32Array(256);
  for (let i = 0; i < 256; i++) fanout[i] = idx.readUInt32BE(8 + i * 4);
  const count = fanout[255];
  if (idx.length < 8 + 1024 + count * 28 + 40) throw new GitUnsupported(`pack index ${idxFile} is truncated`);
  const packFile = idxFile.slice(0, -4) + ".pack";
  const fd = fs.openSync(packFile, "r");
  return { packFile, fd, packSize: fs.fstatSync(fd).size, fanout, count, idx };
}

/** The offset of object `raw` (20 bytes) in the pack, or -1. */
function findInPack(pack: PackIndex, raw: Buffer): number {
  const names = 8 + 1024;
  let lo = raw[0] === 0 ? 0 : pack.fanout[raw[0] - 1];
  let hi = pack.fanout[raw[0]];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = raw.compare(pack.idx, names + mid * 20, names + mid * 20 + 20);
    if (cmp === 0) {
      const offsets = names + pack.count * 24;
      const off = pack.idx.readUInt32BE(offsets + mid * 4);
      if ((off & 0x80000000) === 0) return off;
      const large = offsets + pack.count * 4 + (off & 0x7fffffff) * 8;
      return Number(pack.idx.readBigUInt64BE(large));
    }
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

function readVarint(delta: Buffer, pos: { i: number }): number {
  let n = 0;
  let shift = 0;
  let c: number;
  do {
    c = delta[pos.i++];
    n += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  return n;
}

/** Applies a git delta (copy/insert instructions) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  const pos = { i: 0 };
  if (readVarint(delta, pos) !== base.length) throw new GitUnsupported("delta base has the wrong size");
  const out = Buffer.allocUnsafe(readVarint(delta, pos));
  let o = 0;
  let i = pos.i;
  while (i < delta.length) {
    const op = delta[i++];
    if (op & 0x80) {
      let off = 0;
      let len = 0;
      if (op & 0x01) off |= delta[i++];
      if (op & 0x02) off |= delta[i++] << 8;
      if (op & 0x04) off |= delta[i++] << 16;
      if (op & 0x08) off = (off | (delta[i++] << 24)) >>> 0;
      if (op & 0x10) len |= delta[i++];
      if (op & 0x20) len |= delta[i++] << 8;
      if (op & 0x40) len |= delta[i++] << 16;
      if (len === 0) len = 0x10000;
      if (off + len > base.length || o + len > out.length) throw new GitUnsupported("delta copies out of range");
      base.copy(out, o, off, off + len);
      o += len;
    } else if (op !== 0) {
      if (i + op > delta.length || o + op > out.length) throw new GitUnsupported("delta inserts out of range");
      delta.copy(out, o, i, i + op);
      o += op;
      i += op;
    } else {
      throw new GitUnsupported("reserved delta instruction");
    }
  }
  if (o !== out.length) throw new GitUnsupported("delta result has the wrong size");
  return out;
}

export function parseCommit(data: Buffer): CommitInfo {
  const end = data.indexOf("\n\n");
  const header = data.toString("latin1", 0, end === -1 ? data.length : end);
  let tree: string | undefined;
  const parents: string[] = [];
  let commitTime: number | undefined;
  for (const line of header.split("\n")) {
    if (line.startsWith("tree ")) tree = line.slice(5);
    else if (line.startsWith("parent ")) parents.push(line.slice(7));
    else if (line.startsWith("committer ")) {
      const m = /> (-?\d+) [+-]\d{4}$/.exec(line);
      if (m !== null) commitTime = Number(m[1]);
    }
  }
  if (tree === undefined || commitTime === undefined) throw new GitUnsupported("unusual commit object");
  return { tree, parents, commitTime };
}

export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const nul = data.indexOf(0, space);
    if (space === -1 || nul === -1 || nul + 21 > data.length) throw new GitUnsupported("malformed tree object");
    entries.push({
      mode: data.toString("latin1", i, space),
      name: data.toString("latin1", space + 1, nul),
      id: data.toString("hex", nul + 1, nul + 21),
    });
    i = nul + 21;
  }
  return entries;
}
