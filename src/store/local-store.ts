// The local store: store paths on disk under a physical root (`/` for the real /nix) plus Nix's
// SQLite metadata. Adds are atomic (temp dir in the store, normalise, rename, register under a lock).

import * as fs from "node:fs";
import * as path from "node:path";
import type { AddPathOptions as EvalAddPathOptions, EvalStore, FileType } from "../eval/state.js";
import {
  DEFAULT_STORE_DIR,
  NarWriter,
  createHasher,
  dumpPath as dumpTree,
  dumpPathEvents,
  hashBytes,
  hashEquals,
  hashToSri,
  makeFixedOutputPath,
  makeTextPath,
  narFromFileSystem,
  narToBytes,
  parseDerivation,
  parseHash,
  parseStorePath,
  printHash,
  splitStorePath,
  type DumpOptions,
  type Hash,
  type HashAlgo,
  type NarSink,
  type NarEvents,
  NarTee,
} from "./formats/index.js";
import { IngestBuffer } from "./ingest-buffer.js";
import { NarDiskWriter } from "./nar-disk-writer.js";
import { StoreDb, type Realisation } from "./db.js";
import { NarRestorer } from "./nar-restore.js";
import { canonicaliseTree, deleteTree } from "./canonicalise.js";
import { acquireLock, type FileLock } from "./lock.js";
import { TempRoots } from "./temp-roots.js";
import { RefScanner } from "./references.js";
import {
  parseContentAddress,
  pathOfContentAddress,
  renderContentAddress,
  type NewPathInfo,
  type ValidPathInfo,
} from "./path-info.js";
import { readFdChunks } from "./sync-io.js";
import { describeErrno } from "../eval/os-error.js";
import { StoreError } from "./errors.js";

export { StoreError };

export type AddPathOptions = Partial<EvalAddPathOptions> & {
  /**
   * A recursive add's walk calls this for the root and every entry it archives, with the entry's
   * own metadata, before reading it (see DumpOptions.onEntry); the path is the one on disk, as a
   * byte string (one char per byte).
   */
  readonly onEntry?: (path: string, st: fs.Stats) => void;
};

export interface LocalStoreOptions {
  /**
   * Sources whose NAR (roughly) fits in this many bytes are read once when added: kept in memory
   * while hashed, then written. Larger ones are hashed, then read again to be copied, so that an
   * already-valid large path costs no writes. Default 16 MiB.
   */
  readonly ingestMemoryBudget?: number;
}

/** Where the NAR bytes for `addNarToStore` come from. */
export type NarSource = Uint8Array | { readonly fd: number } | ((sink: NarSink) => void);

export interface AddNarInfo {
  /** The store path to create; when absent, `name` gives a content-addressed (source) path. */
  readonly path?: string;
  readonly name?: string;
  /** Checked against the NAR when given. */
  readonly narHash?: Hash;
  readonly narSize?: number;
  readonly references?: readonly string[];
  readonly deriver?: string | null;
  readonly ca?: string | null;
  readonly sigs?: readonly string[];
  readonly ultimate?: boolean;
}

export interface VerifyOptions {
  /** Re-hash every path's contents and compare with the recorded NAR hash. */
  readonly checkContents?: boolean;
  /** Only these paths (default: all valid paths). */
  readonly paths?: readonly string[];
  /** Progress/notes, e.g. "checking path …". */
  readonly log?: (line: string) => void;
  /**
   * Only report problems, never change the database (`nix store verify`). Otherwise a path that
   * disappeared without valid referrers is unregistered, as `nix-store --verify` does.
   */
  readonly readOnly?: boolean;
}

export interface VerifyResult {
  /** Problems found; empty when the store is consistent. */
  readonly errors: string[];
  readonly checked: number;
}

/** `/nix/store/x` inside root `r` (root "/" is the real file system). */
function physicalOf(root: string, logical: string): string {
  return root === "/" ? logical : path.join(root, logical);
}

let tempPathCount = 0;

export class LocalStore implements EvalStore {
  readonly storeDir = DEFAULT_STORE_DIR;
  /** Physical root of the chroot store ("/" for the real /nix). */
  readonly root: string;
  /** Physical location of the store directory. */
  readonly realStoreDir: string;
  /** Physical `/nix/var/nix`. */
  readonly stateDir: string;
  readonly db: StoreDb;
  readonly tempRoots: TempRoots;
  private closed = false;
  private readonly ingestMemoryBudget: number;

  constructor(root: string, options: LocalStoreOptions = {}) {
    this.root = path.resolve(root);
    this.ingestMemoryBudget = options.ingestMemoryBudget ?? DEFAULT_INGEST_MEMORY_BUDGET;
    this.realStoreDir = physicalOf(this.root, this.storeDir);
    this.stateDir = physicalOf(this.root, "/nix/var/nix");
    this.initLayout();
    this.db = new StoreDb(path.join(this.stateDir, "db"));
    this.tempRoots = new TempRoots(path.join(this.stateDir, "temproots"));
  }

  /** Creates the directories Nix expects in a store (idempotent). */
  private initLayout(): void {
    if (!fs.existsSync(this.realStoreDir)) {
      fs.mkdirSync(this.realStoreDir, { recursive: true, mode: 0o755 });
      fs.chmodSync(this.realStoreDir, 0o1775);
    }
    for (const d of ["db", "gcroots", "gcroots/auto", "gcroots/per-user", "profiles", "profiles/per-user", "temproots"]) {
      fs.mkdirSync(path.join(this.stateDir, d), { recursive: true, mode: 0o755 });
    }
    const profilesRoot = path.join(this.stateDir, "gcroots", "profiles");
    try {
      fs.symlinkSync(path.join(this.stateDir, "profiles"), profilesRoot);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.tempRoots.close();
    this.db.close();
  }

  // -------------------------------------------------------------------------------------------
  // Paths

  /** Where store path (or a path inside one) `p` lives on disk. */
  toPhysical(p: string): string {
    return physicalOf(this.root, p);
  }

  /** Checks that `p` is a store path (`/nix/store/HASH-name`, nothing below) and returns it. */
  checkStorePath(p: string): string {
    try {
      parseStorePath(p, this.storeDir);
    } catch (e) {
      throw new StoreError((e as Error).message);
    }
    return p;
  }

  /**
   * Resolves a command-line argument to a store path: a store path or a path inside one, or a
   * symlink (chain) outside the store that leads into it (like a `result` link).
   */
  resolveStorePath(arg: string): string {
    let p = path.resolve(arg);
    for (let hops = 0; hops < 40; hops++) {
      if (p.startsWith(this.storeDir + "/")) {
        try {
          return splitStorePath(p, this.storeDir).storePath;
        } catch (e) {
          throw new StoreError((e as Error).message);
        }
      }
      let target: string;
      try {
        target = fs.readlinkSync(p);
      } catch {
        throw new StoreError(`path '${arg}' is not in the Nix store`);
      }
      p = path.resolve(path.dirname(p), target);
    }
    throw new StoreError(`too many symbolic links while resolving '${arg}'`);
  }

  isValid(storePath: string): boolean {
    return this.db.isValid(storePath);
  }

  queryPathInfo(storePath: string): ValidPathInfo | null {
    return this.db.queryPathInfo(storePath);
  }

  /** Like queryPathInfo, but an invalid path is an error. */
  requirePathInfo(storePath: string): ValidPathInfo {
    const info = this.db.queryPathInfo(storePath);
    if (info === null) throw new StoreError(`path '${storePath}' is not valid`);
    return info;
  }

  queryReferences(storePath: string): string[] {
    return this.db.queryReferences(storePath);
  }

  /** The contents of a valid store path that is a regular file, as a byte string. */
  readText(storePath: string): string {
    const { storePath: sp } = this.wrapFormat(() => splitStorePath(storePath, this.storeDir));
    this.requirePathInfo(sp);
    return this.wrapIo(() => fs.readFileSync(this.toPhysical(storePath), "latin1"));
  }

  queryReferrers(storePath: string): string[] {
    return this.db.queryReferrers(storePath);
  }

  queryAllValidPaths(): string[] {
    return this.db.queryAllValidPaths().sort();
  }

  queryPathFromHashPart(hashPart: string): string | null {
    return this.db.queryPathFromHashPart(this.storeDir, hashPart);
  }

  queryDerivationOutputs(drvPath: string): Map<string, string> {
    return this.db.queryDerivationOutputs(drvPath);
  }

  queryValidDerivers(outPath: string): string[] {
    return this.db.queryValidDerivers(outPath);
  }

  /**
   * The closure of `paths`: them and everything they refer to, transitively (sorted). With
   * `includeDerivers`, also each path's valid deriver and its closure.
   */
  closure(paths: Iterable<string>, opts: { includeDerivers?: boolean } = {}): string[] {
    const seen = new Set<string>();
    const todo: string[] = [];
    for (const p of paths) {
      if (!this.isValid(p)) throw new StoreError(`path '${p}' is not valid`);
      todo.push(p);
    }
    while (todo.length > 0) {
      const p = todo.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const r of this.db.queryReferences(p)) if (!seen.has(r)) todo.push(r);
      if (opts.includeDerivers) {
        const d = this.db.queryPathInfo(p)?.deriver;
        if (d && !seen.has(d) && this.isValid(d)) todo.push(d);
      }
    }
    return [...seen].sort();
  }

  // -------------------------------------------------------------------------------------------
  // Adding

  /** Copies a file or tree into the store (content-addressed); returns its store path. */
  addPath(fsPath: string, name: string, opts: AddPathOptions = {}): string {
    return opts.recursive === false ? this.addFlat(fsPath, name, opts) : this.addRecursive(fsPath, name, opts);
  }

  /** `addPath` of one regular file by its bytes (what `nix store add-file` does). */
  addFile(fsPath: string, name: string): string {
    return this.addPath(fsPath, name, { recursive: false });
  }

  /** Adds a text file (`builtins.toFile`, `.drv` files) with the given references. */
  addText(name: string, text: string, references: readonly string[]): string {
    const contents = Buffer.from(text, "latin1");
    const contentHash = hashBytes("sha256", contents);
    const refs = [...new Set(references)].sort();
    const storePath = this.wrapFormat(() => makeTextPath(name, contentHash, refs, this.storeDir));
    if (this.validUnderLock(storePath)) return storePath;
    const nar = narToBytes({ type: "regular", executable: false, contents });
    this.addFromNar(
      (sink) => sink(nar),
      (narHash, narSize) => ({
        path: storePath,
        narHash,
        narSize,
        references: refs,
        ca: renderContentAddress({ method: "text", hash: contentHash }),
      }),
      { drvText: name.endsWith(".drv") ? text : undefined },
    );
    return storePath;
  }

  private addRecursive(fsPath: string, name: string, opts: AddPathOptions): string {
    const src = this.sourcePath(fsPath);
    // A filter sees logical paths, also when the source is read from a chroot store.
    const strip = src.length - Buffer.byteLength(fsPath, "latin1");
    const dumpOpts: DumpOptions = opts.filter === undefined ? {} : { filter: adaptFilter(opts.filter, fsPath.startsWith("/") ? strip : 0) };
    const want = opts.expectedHash === undefined ? undefined : this.parseExpectedHash(opts.expectedHash);
    // onEntry observes the first read only (a second one, if any, copies what the first hashed).
    const firstOpts: DumpOptions = opts.onEntry === undefined ? dumpOpts : { ...dumpOpts, onEntry: opts.onEntry };
    return this.addByWalking(fsPath, name, want, (sink, first) => {
      const walk = hashTreeWalk(src, first ? firstOpts : dumpOpts, want?.algo, sink);
      return { ...walk, ca: { method: "recursive", hash: walk.narHash } };
    });
  }

  private addFlat(fsPath: string, name: string, opts: AddPathOptions): string {
    const src = this.sourcePath(fsPath);
    const st = this.wrapIo(() => fs.statSync(src));
    if (!st.isFile()) throw new StoreError(`path '${fsPath}' is not a regular file, so it cannot be added by its contents (flat)`);
    const want = opts.expectedHash === undefined ? undefined : this.parseExpectedHash(opts.expectedHash);
    return this.addByWalking(fsPath, name, want, (sink) => {
      const walk = hashFlatWalk(src, fsPath, want?.algo, sink);
      return { ...walk, ca: { method: "flat", hash: walk.flat } };
    });
  }

  /**
   * Reads the source once to hash it while copying it: into memory while small; past that, into a
   * temp location in the store as it is read, unless a path of the same name is valid already (a
   * re-add of the same tree is then likely, and the copy is made by a second read only once the
   * path is known to be new). The path is decided from the hashes and the copy moved into place.
   */
  private addByWalking(
    fsPath: string,
    name: string,
    want: Hash | undefined,
    walk: (sink: NarEvents, first: boolean) => { narHash: Hash; narSize: number; wanted: Hash; ca: { method: "flat" | "recursive"; hash: Hash } },
  ): string {
    const tmp = this.newTempPath();
    const copy = new IngestBuffer(this.ingestMemoryBudget, Buffer.from(tmp), () => !this.db.hasPathNamed(this.storeDir, name));
    let info: ValidPathInfo;
    try {
      const first = this.wrapIo(() => {
        try {
          return walk(copy, true);
        } finally {
          copy.abort();
        }
      });
      if (want !== undefined) this.checkHashMatches(want, first.wanted, fsPath);
      const firstPath = this.wrapFormat(() => makeFixedOutputPath(name, first.ca.method, first.ca.hash, [], this.storeDir));
      if (this.validUnderLock(firstPath)) {
        if (copy.spilled) deleteTree(tmp);
        return firstPath;
      }
      let result = first;
      if (!copy.overflowed) {
        this.wrapIo(() => copy.writeOut());
      } else {
        // A second read copies what it hashes; the copy is what counts if the source changed since.
        const out = new NarDiskWriter(tmp, { canonical: true });
        try {
          result = this.wrapIo(() => walk(out, false));
        } finally {
          out.abort();
        }
        if (want !== undefined && !hashEquals(result.wanted, first.wanted)) {
          throw new StoreError(`'${fsPath}' changed while it was being added to the store`);
        }
      }
      const storePath = this.wrapFormat(() => makeFixedOutputPath(name, result.ca.method, result.ca.hash, [], this.storeDir));
      info = this.completeInfo({ path: storePath, narHash: result.narHash, narSize: result.narSize, ca: renderContentAddress(result.ca) });
    } catch (e) {
      deleteTree(tmp);
      throw e;
    }
    return this.moveIntoPlace(tmp, info, undefined).path;
  }

  /**
   * Adds a path from its NAR serialisation (bytes, a file descriptor such as stdin, or a producer
   * writing to a sink). The NAR is unpacked into a temporary location and checked against
   * `info.narHash`/`narSize` before anything becomes visible; malformed input leaves the store
   * unchanged. Without `info.path`, the path is the content-addressed source path for `info.name`.
   */
  addNarToStore(source: NarSource, info: AddNarInfo): ValidPathInfo {
    if (info.path === undefined && info.name === undefined) throw new StoreError("addNarToStore needs a path or a name");
    if (info.path !== undefined) this.checkStorePath(info.path);
    if (info.path !== undefined && this.validUnderLock(info.path)) {
      // Still consume the input so callers streaming several NARs stay in sync.
      drain(source);
      return this.requirePathInfo(info.path);
    }
    const produce = (sink: NarSink): void => {
      if (source instanceof Uint8Array) sink(source);
      else if (typeof source === "function") source(sink);
      else readFdChunks(source.fd, sink);
    };
    const refs = [...new Set(info.references ?? [])].sort();
    return this.addFromNar(produce, (narHash, narSize) => {
      const target =
        info.path ??
        this.wrapFormat(() => makeFixedOutputPath(info.name!, "recursive", narHash, refs, this.storeDir));
      if (info.narHash !== undefined && !hashEquals(info.narHash, narHash)) {
        throw new StoreError(
          `hash mismatch importing path '${target}';\n  specified: ${hashToSri(info.narHash)}\n  got:       ${hashToSri(narHash)}`,
        );
      }
      if (info.narSize !== undefined && info.narSize !== narSize) {
        throw new StoreError(`size mismatch importing path '${target}';\n  specified: ${info.narSize}\n  got:       ${narSize}`);
      }
      return {
        path: target,
        narHash,
        narSize,
        references: refs,
        deriver: info.deriver ?? null,
        ca: info.ca ?? (info.path === undefined ? renderContentAddress({ method: "recursive", hash: narHash }) : null),
        sigs: info.sigs ?? [],
        ultimate: info.ultimate ?? false,
      };
    });
  }

  /**
   * Registers paths that are already in place on disk (e.g. build outputs, written while holding
   * their locks) in one transaction. Their references must be valid or among `infos`.
   */
  registerValidPaths(infos: readonly NewPathInfo[]): void {
    const full = infos.map((i) => this.completeInfo(i));
    for (const i of full) {
      const phys = this.toPhysical(i.path);
      // An output may be a symlink whose target does not exist (in the store or at all).
      if (!fs.existsSync(phys) && !isSymlink(phys)) throw new StoreError(`cannot register '${i.path}': it does not exist on disk`);
    }
    const drvOutputs = new Map<string, Map<string, string>>();
    for (const i of full) {
      if (i.path.endsWith(".drv")) drvOutputs.set(i.path, this.drvOutputsOf(fs.readFileSync(this.toPhysical(i.path), "latin1"), i.path));
    }
    this.wrapDb(() => this.db.registerValidPaths(full, drvOutputs));
    for (const i of full) this.tempRoots.add(i.path);
  }

  /** Records that output `outputName` of the valid derivation `drvPath` is `outPath`. */
  registerDerivationOutput(drvPath: string, outputName: string, outPath: string): void {
    this.wrapDb(() => this.db.addDerivationOutput(drvPath, outputName, outPath));
  }

  /** Records a realisation of a content-addressed derivation output (the Realisations table). */
  registerRealisation(r: Realisation): void {
    this.wrapDb(() => this.db.registerRealisation(r));
  }

  queryRealisation(drvHash: string, outputName: string): Realisation | null {
    return this.db.queryRealisation(drvHash, outputName);
  }

  /** Normalises permissions and times of a path that is already in place (e.g. a build output). */
  canonicalisePath(storePath: string): void {
    canonicaliseTree(this.toPhysical(this.checkStorePath(storePath)));
  }

  /** Takes the lock of store path `storePath`; null when `wait` is false and it is busy. */
  lockPath(storePath: string, wait = true): FileLock | null {
    return acquireLock(`${this.toPhysical(storePath)}.lock`, { wait });
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Streams the NAR of a valid store path (or a path inside one) to `sink`; returns its size. */
  dumpPath(p: string, sink: NarSink): number {
    const { storePath } = this.wrapFormat(() => splitStorePath(p, this.storeDir));
    this.requirePathInfo(storePath);
    return this.wrapIo(() => dumpTree(this.toPhysical(p), sink));
  }

  /** NAR hash and size of what is on disk for `storePath`. */
  hashPathOnDisk(storePath: string): { narHash: Hash; narSize: number } {
    return narFromFileSystem(this.toPhysical(storePath));
  }

  /**
   * Which of `candidates` (store paths) the tree at physical path `fsPath` mentions. Candidates
   * default to all valid paths.
   */
  scanReferences(fsPath: string | Buffer, candidates?: Iterable<string>): string[] {
    const scanner = new RefScanner(candidates ?? this.db.queryAllValidPaths());
    dumpTree(fsPath, (c) => scanner.update(c));
    return scanner.found();
  }

  /** Checks that valid paths exist (and, with `checkContents`, still have their NAR hash). */
  verify(opts: VerifyOptions = {}): VerifyResult {
    const errors: string[] = [];
    const log = opts.log ?? (() => {});
    const paths = opts.paths ?? this.queryAllValidPaths();
    for (const p of paths) {
      const info = this.db.queryPathInfo(p);
      if (info === null) {
        errors.push(`path '${p}' is not valid`);
        continue;
      }
      const phys = this.toPhysical(p);
      if (!fs.existsSync(phys) && !isSymlink(phys)) {
        const referrers = this.db.queryReferrers(p).filter((r) => r !== p);
        if (opts.readOnly) {
          errors.push(`path '${p}' is valid but does not exist on disk`);
        } else if (referrers.length > 0) {
          errors.push(`path '${p}' disappeared, but it still has valid referrers!`);
        } else {
          log(`path '${p}' disappeared, removing from database...`);
          this.db.invalidatePath(p);
        }
        continue;
      }
      for (const r of info.references) {
        if (!this.db.isValid(r)) errors.push(`path '${p}' refers to invalid path '${r}'`);
      }
      if (info.ca !== null) {
        const problem = this.caProblem(info);
        if (problem !== null) errors.push(problem);
      }
      if (opts.checkContents) {
        log(`checking contents of '${p}'`);
        let got;
        try {
          got = this.hashPathOnDisk(p);
        } catch (e) {
          errors.push(`path '${p}' cannot be read: ${(e as Error).message}`);
          continue;
        }
        if (!hashEquals(got.narHash, info.narHash)) {
          // Nix words it with nix32 hashes: expected hash 'sha256:0zpl…', got 'sha256:18il…'.
          const expected = printHash(info.narHash, "nix32", true);
          errors.push(`path '${p}' was modified! expected hash '${expected}', got '${printHash(got.narHash, "nix32", true)}'`);
        } else if (info.narSize !== 0 && got.narSize !== info.narSize) {
          errors.push(`path '${p}' has NAR size ${got.narSize}, but the database says ${info.narSize}`);
        }
      }
    }
    return { errors, checked: paths.length };
  }

  // -------------------------------------------------------------------------------------------
  // Deleting

  /**
   * Deletes one path: removes it from the database and the disk. Refuses while other valid paths
   * refer to it (liveness with respect to GC roots is the garbage collector's business). Returns the
   * bytes freed. Invalid paths that exist on disk (garbage) are deleted too.
   */
  deletePath(storePath: string): number {
    this.checkStorePath(storePath);
    const lock = this.lockPath(storePath)!;
    try {
      if (this.db.isValid(storePath)) {
        const others = this.db.queryReferrers(storePath).filter((r) => r !== storePath);
        if (others.length > 0) {
          throw new StoreError(`cannot delete path '${storePath}' because it is in use by ${others.map((r) => `'${r}'`).join(", ")}`);
        }
        this.wrapDb(() => this.db.invalidatePath(storePath));
      }
      return deleteTree(this.toPhysical(storePath));
    } finally {
      lock.release();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /**
   * Whether `storePath` is valid, in a way that is safe against a concurrent garbage collection:
   * the temp root is written first; then, if a collector may be running (its lock file exists), the
   * answer is only trusted under the path's lock, which the collector holds while deleting it.
   */
  private validUnderLock(storePath: string): boolean {
    this.tempRoots.add(storePath);
    if (!this.db.isValid(storePath)) return false;
    if (!gcMayBeRunning(this.stateDir)) return true;
    const lock = this.lockPath(storePath)!;
    try {
      return this.db.isValid(storePath);
    } finally {
      lock.release();
    }
  }

  /**
   * The core of every add: unpack the NAR from `produce` into a temp location in the store while
   * hashing it, decide the path and metadata (`describe`), then move it into place and register it.
   */
  private addFromNar(
    produce: (sink: NarSink) => void,
    describe: (narHash: Hash, narSize: number) => NewPathInfo,
    opts: { drvText?: string } = {},
  ): ValidPathInfo {
    const tmp = this.newTempPath();
    const hasher = createHasher("sha256");
    let size = 0;
    let info: ValidPathInfo;
    try {
      const restorer = new NarRestorer(tmp, { canonical: true });
      produce((chunk) => {
        hasher.update(chunk);
        size += chunk.length;
        restorer.push(chunk);
      });
      restorer.end();
      info = this.completeInfo(describe(hasher.digest(), size));
    } catch (e) {
      deleteTree(tmp);
      throw e;
    }
    return this.moveIntoPlace(tmp, info, opts.drvText);
  }

  private moveIntoPlace(tmp: string, info: ValidPathInfo, drvText: string | undefined): ValidPathInfo {
    this.tempRoots.add(info.path);
    let lock: FileLock | null = null;
    try {
      lock = this.lockPath(info.path)!;
      if (this.db.isValid(info.path)) {
        deleteTree(tmp);
        return this.requirePathInfo(info.path);
      }
      const drvOutputs = new Map<string, Map<string, string>>();
      if (info.path.endsWith(".drv")) {
        drvOutputs.set(info.path, this.drvOutputsOf(drvText ?? fs.readFileSync(tmp, "latin1"), info.path));
      }
      const real = this.toPhysical(info.path);
      // Anything already there is not registered: a leftover of an interrupted add. Replace it.
      deleteTree(real);
      fs.renameSync(tmp, real);
      try {
        this.wrapDb(() => this.db.registerValidPaths([info], drvOutputs));
      } catch (e) {
        deleteTree(real);
        throw e;
      }
      return info;
    } catch (e) {
      deleteTree(tmp);
      throw e;
    } finally {
      lock?.release();
    }
  }

  /** Why `info`'s content-address assertion does not match its path, or null if it does. */
  private caProblem(info: ValidPathInfo): string | null {
    try {
      const name = parseStorePath(info.path, this.storeDir).name;
      const expected = pathOfContentAddress(name, parseContentAddress(info.ca!), info.references, this.storeDir, info.path);
      return expected === info.path ? null : `path '${info.path}' claims to be content-addressed (${info.ca}) but is not: that would be '${expected}'`;
    } catch (e) {
      return `path '${info.path}' has an unusable content address '${info.ca}': ${(e as Error).message}`;
    }
  }

  private drvOutputsOf(text: string, drvPath: string): Map<string, string> {
    let drv;
    try {
      drv = parseDerivation(text);
    } catch (e) {
      throw new StoreError(`derivation '${drvPath}' is malformed: ${(e as Error).message}`);
    }
    const out = new Map<string, string>();
    for (const [name, o] of drv.outputs) if (o.path !== "") out.set(name, o.path);
    return out;
  }

  private completeInfo(i: NewPathInfo): ValidPathInfo {
    this.checkStorePath(i.path);
    for (const r of i.references ?? []) this.checkStorePath(r);
    return {
      path: i.path,
      narHash: i.narHash,
      narSize: i.narSize,
      references: [...new Set(i.references ?? [])].sort(),
      deriver: i.deriver ?? null,
      registrationTime: i.registrationTime ?? Math.floor(Date.now() / 1000),
      ultimate: i.ultimate ?? false,
      sigs: i.sigs ?? [],
      ca: i.ca ?? null,
    };
  }

  /**
   * A fresh name for a tree being added, inside the store so that the final rename is atomic;
   * unique among live processes (pid, counter) and unlikely to meet a dead one's leftovers.
   */
  private newTempPath(): string {
    // Not node:crypto's randomBytes: loading that module costs a cold `flake show` ~10% of its CPU.
    const nonce = Math.floor(Math.random() * 2 ** 48).toString(16);
    return path.join(this.realStoreDir, `.tix-tmp-${process.pid}-${++tempPathCount}-${nonce}`);
  }

  /** A byte-string file-system path as a Buffer (the evaluator's strings are one char per byte). */
  private sourcePath(fsPath: string): Buffer {
    const bytes = Buffer.from(fsPath, "latin1");
    // Paths in the logical store directory of a chroot store are read where they really are.
    if (this.root !== "/" && (fsPath === this.storeDir || fsPath.startsWith(this.storeDir + "/"))) {
      return Buffer.concat([Buffer.from(this.root, "utf8"), bytes]);
    }
    return fsPath.startsWith("/") ? bytes : Buffer.concat([Buffer.from(process.cwd() + "/"), bytes]);
  }

  /** Compares the content hash with the expected one (`rehash` recomputes it in another algorithm). */
  /** An expected hash as given to `builtins.path` & co.: SRI or `algo:`-prefixed, else sha256. */
  private parseExpectedHash(expected: string): Hash {
    return this.wrapFormat(() => (/^[a-z0-9]+[:-]/.test(expected) ? parseHash(expected) : parseHash(expected, "sha256")));
  }

  private checkHashMatches(want: Hash, got: Hash, what: string): void {
    if (!hashEquals(want, got)) {
      throw new StoreError(`hash mismatch for '${what}':\n  specified: ${hashToSri(want)}\n  got:       ${hashToSri(got)}`);
    }
  }

  private wrapFormat<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError((e as Error).message);
    }
  }

  private wrapIo<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== undefined && err.syscall !== undefined) {
        // Node gives the path as text; messages are byte strings (a UTF-8 'ö' is two bytes).
        const p = err.path === undefined ? "" : ` '${Buffer.from(err.path).toString("latin1")}'`;
        throw new StoreError(`${describeSyscall(err.syscall)}${p}: ${describeErrno(err)}`);
      }
      throw e;
    }
  }

  private wrapDb<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError((e as Error).message);
    }
  }
}

const DEFAULT_INGEST_MEMORY_BUDGET = 16 * 1024 * 1024;

/** Numbers the temporary paths of this process. */

/**
 * Walks `src` once, feeding its NAR to a sha256 hasher (the NAR hash), to a hasher of `wantedAlgo`
 * when an expected hash uses another algorithm, and to `also` (a copy, on disk or in memory).
 */
function hashTreeWalk(
  src: Buffer,
  dumpOpts: DumpOptions,
  wantedAlgo: HashAlgo | undefined,
  also: NarEvents,
): { narHash: Hash; narSize: number; wanted: Hash } {
  const sha256 = createHasher("sha256");
  const narWriter = new NarWriter((c) => sha256.update(c), HASHING_WRITER);
  const targets: NarEvents[] = [narWriter];
  const other = wantedAlgo === undefined || wantedAlgo === "sha256" ? null : createHasher(wantedAlgo);
  if (other !== null) targets.push(new NarWriter((c) => other.update(c), HASHING_WRITER));
  // The copy comes last, so the NAR writer has checked every name before it reaches the disk.
  targets.push(also);
  dumpPathEvents(src, new NarTee(targets), dumpOpts);
  const narHash = sha256.digest();
  return { narHash, narSize: narWriter.size, wanted: other === null ? narHash : other.digest() };
}

/**
 * Reads the regular file `src` (symlinks followed) once as a non-executable NAR file node, feeding
 * its contents to a sha256 hasher (the flat hash), its NAR to another (the NAR hash), a hasher of
 * `wantedAlgo` when an expected hash uses another algorithm, and `also`.
 */
function hashFlatWalk(
  src: Buffer,
  what: string,
  wantedAlgo: HashAlgo | undefined,
  also: NarEvents,
): { narHash: Hash; narSize: number; flat: Hash; wanted: Hash } {
  const narHasher = createHasher("sha256");
  const flatHasher = createHasher("sha256");
  const other = wantedAlgo === undefined || wantedAlgo === "sha256" ? null : createHasher(wantedAlgo);
  const narWriter = new NarWriter((c) => narHasher.update(c), HASHING_WRITER);
  const fd = fs.openSync(src, "r");
  try {
    const size = fs.fstatSync(fd).size;
    narWriter.regularStart(false, size);
    also.regularStart(false, size);
    const buf = Buffer.allocUnsafe(Math.min(size, FLAT_READ_CHUNK) || 1);
    let left = size;
    while (left > 0) {
      const n = fs.readSync(fd, buf, 0, Math.min(left, buf.length), null);
      if (n === 0) throw new StoreError(`file '${what}' shrank while being added`);
      // A recording copy keeps its chunks; everything else is done with them on return.
      const piece = also.transientChunks ? buf.subarray(0, n) : Buffer.from(buf.subarray(0, n));
      flatHasher.update(piece);
      other?.update(piece);
      narWriter.contents(piece);
      also.contents(piece);
      left -= n;
    }
    narWriter.regularEnd();
    also.regularEnd();
    narWriter.finish();
    also.finish();
  } finally {
    fs.closeSync(fd);
  }
  const flat = flatHasher.digest();
  return { narHash: narHasher.digest(), narSize: narWriter.size, flat, wanted: other === null ? flat : other.digest() };
}

const FLAT_READ_CHUNK = 1024 * 1024;

const HASHING_WRITER = { transientChunks: true, bufferSize: 256 * 1024 } as const;

/**
 * Whether a tix garbage collection may be in progress: its lock file exists and is not an empty
 * leftover of Nix's (Nix keeps an empty gc.lock; it does not know about tix's temp roots anyway).
 */
function gcMayBeRunning(stateDir: string): boolean {
  try {
    return fs.statSync(path.join(stateDir, "gc.lock")).size > 0;
  } catch {
    return false;
  }
}

function adaptFilter(filter: (path: string, type: FileType) => boolean, strip = 0): DumpOptions["filter"] {
  return strip === 0 ? filter : (p, type) => filter(p.slice(strip), type);
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Reads (and discards) whatever a NAR source holds. */
function drain(source: NarSource): void {
  if (source instanceof Uint8Array) return;
  if (typeof source === "function") source(() => {});
  else readFdChunks(source.fd, () => {});
}

function describeSyscall(syscall: string): string {
  switch (syscall) {
    case "lstat":
    case "stat":
      return "getting status of";
    case "open":
      return "opening file";
    case "scandir":
      return "opening directory";
    case "readlink":
      return "reading symbolic link";
    default:
      return syscall;
  }
}

/** Opens (creating if needed) the store whose physical root is `root`; "/" is the real /nix. */
export function openLocalStore(root: string, options: LocalStoreOptions = {}): LocalStore {
  return new LocalStore(root, options);
}
