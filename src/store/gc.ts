// Garbage collection: finds the roots (`gcroots/` symlinks, indirect `auto/` roots, profiles, temp
// roots of live processes), keeps their closures, and deletes every other path in the store.

import * as fs from "node:fs";
import * as path from "node:path";
import { hashByteString, hashToNix32, splitStorePath } from "./formats/index.js";
import { deleteTree } from "./canonicalise.js";
import { acquireLock, processAlive } from "./lock.js";
import { readTempRoots } from "./temp-roots.js";
import { StoreError, type LocalStore } from "./local-store.js";

export interface GcOptions {
  /** Only report what would be deleted. */
  readonly dryRun?: boolean;
  /** Stop once at least this many bytes were freed. */
  readonly maxFreed?: number;
  /** Keep the valid derivers (.drv) of live paths (Nix's keep-derivations, default true). */
  readonly keepDerivations?: boolean;
  /** Keep the outputs of live derivations (Nix's keep-outputs, default false). */
  readonly keepOutputs?: boolean;
  /** Receives "deleting '/nix/store/…'" lines (or, on a dry run, the dead paths). */
  readonly log?: (line: string) => void;
}

export interface GcResult {
  /** Valid paths deleted (or, on a dry run, that would be). */
  readonly deleted: string[];
  readonly bytesFreed: number;
}

/** A root: where it was found (a link, or "{temp:PID}") and the store path it keeps. */
export interface GcRoot {
  readonly link: string;
  readonly storePath: string;
}

function gcrootsDir(store: LocalStore): string {
  return path.join(store.stateDir, "gcroots");
}

/** The store path that logical path `target` lies in, or null if it is not in the store. */
function storePathOf(store: LocalStore, target: string): string | null {
  if (!target.startsWith(store.storeDir + "/")) return null;
  try {
    return splitStorePath(target, store.storeDir).storePath;
  } catch {
    return null;
  }
}

/**
 * All roots below `gcroots/` and `profiles/`, found as Nix finds them: directories are searched;
 * a symlink into the store is a root; a symlink elsewhere is an indirect root (`auto/…` →
 * `…/result` → store): followed one more hop, and only when that leads to a symlink into the
 * store. Links to directories are not searched (`gcroots/profiles` is covered by searching
 * `profiles/` itself), so a stale `result` that now names a big directory costs nothing. Dangling
 * indirect roots in `auto/` are removed (unless `readOnly`).
 */
export function findRoots(store: LocalStore, readOnly = false): GcRoot[] {
  const roots: GcRoot[] = [];
  const autoDir = path.join(gcrootsDir(store), "auto");
  const visiting = new Set<string>();

  const readLinkAt = (p: string): string | null => {
    try {
      return path.resolve(path.dirname(p), fs.readlinkSync(p));
    } catch {
      return null;
    }
  };

  const visit = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      const real = fs.realpathSync(p);
      if (visiting.has(real)) return;
      visiting.add(real);
      for (const name of fs.readdirSync(p)) visit(path.join(p, name));
      return;
    }
    if (!st.isSymbolicLink()) return;
    const target = readLinkAt(p);
    if (target === null) return;
    const sp = storePathOf(store, target);
    if (sp !== null) {
      roots.push({ link: p, storePath: sp });
      return;
    }
    let targetStat: fs.Stats;
    try {
      targetStat = fs.lstatSync(target);
    } catch {
      // An indirect root whose link is gone: stale when it is one of `auto/`.
      if (!readOnly && path.dirname(p) === autoDir) fs.rmSync(p, { force: true });
      return;
    }
    if (!targetStat.isSymbolicLink()) return;
    const second = readLinkAt(target);
    const indirect = second === null ? null : storePathOf(store, second);
    if (indirect !== null) roots.push({ link: target, storePath: indirect });
  };

  visit(gcrootsDir(store));
  // Profiles are roots even when the `gcroots/profiles` link is missing.
  visit(path.join(store.stateDir, "profiles"));
  return roots;
}

/** Every path that must survive a collection: the closures of the roots (and temp roots). */
export function livePaths(store: LocalStore, opts: Pick<GcOptions, "keepDerivations" | "keepOutputs"> = {}, readOnly = false): Set<string> {
  const starts = new Set<string>();
  for (const r of findRoots(store, readOnly)) starts.add(r.storePath);
  for (const p of readTempRoots(path.join(store.stateDir, "temproots"), !readOnly)) {
    const sp = storePathOf(store, p);
    if (sp !== null) starts.add(sp);
  }
  const keepDerivations = opts.keepDerivations ?? true;
  const keepOutputs = opts.keepOutputs ?? false;
  const live = new Set<string>();
  const todo = [...starts].filter((p) => store.isValid(p));
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (live.has(p)) continue;
    live.add(p);
    for (const r of store.queryReferences(p)) if (!live.has(r)) todo.push(r);
    if (keepDerivations) {
      const d = store.queryPathInfo(p)?.deriver;
      if (d && !live.has(d) && store.isValid(d)) todo.push(d);
    }
    if (keepOutputs && p.endsWith(".drv")) {
      for (const out of store.queryDerivationOutputs(p).values()) if (!live.has(out) && store.isValid(out)) todo.push(out);
    }
  }
  return live;
}

/**
 * Orders `dead` so every path comes before the paths it refers to (referrers are deleted first,
 * as the database forbids removing a path that is still referenced).
 */
function referrersFirst(store: LocalStore, dead: Set<string>): string[] {
  const order: string[] = [];
  const state = new Map<string, 1 | 2>();
  for (const start of [...dead].sort()) {
    if (state.has(start)) continue;
    // Iterative post-order over "is referred to by" edges restricted to dead paths.
    const stack: [string, string[]][] = [[start, store.queryReferrers(start).filter((r) => dead.has(r) && r !== start)]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top[1].pop();
      if (next === undefined) {
        stack.pop();
        state.set(top[0], 2);
        order.push(top[0]);
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, store.queryReferrers(next).filter((r) => dead.has(r) && r !== next)]);
      }
    }
  }
  return order;
}

const TMP_RE = /^\.tix-tmp-(\d+)-/;

/** Entries in the store directory that are not valid paths: interrupted adds, stale locks. */
function garbageEntries(store: LocalStore): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(store.realStoreDir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === ".links") continue;
    const tmp = TMP_RE.exec(name);
    if (tmp !== null) {
      if (!processAlive(Number(tmp[1]))) out.push(name);
      continue;
    }
    if (name.endsWith(".lock")) {
      // A lock file whose holder died: taking and releasing it removes it.
      acquireLock(path.join(store.realStoreDir, name), { wait: false })?.release();
      continue;
    }
    const logical = `${store.storeDir}/${name}`;
    if (storePathOf(store, logical) === logical && !store.isValid(logical)) out.push(name);
  }
  return out;
}

/**
 * Deletes every store path not reachable from a root. Also removes unregistered leftovers (the
 * remains of interrupted adds). Paths being added right now are protected by their locks and
 * the adding process's temp roots.
 */
export function collectGarbage(store: LocalStore, opts: GcOptions = {}): GcResult {
  const log = opts.log ?? (() => {});
  const gcLock = acquireLock(path.join(store.stateDir, "gc.lock"))!;
  try {
    const live = livePaths(store, opts, opts.dryRun === true);
    const dead = new Set(store.queryAllValidPaths().filter((p) => !live.has(p)));
    const deleted: string[] = [];
    let bytesFreed = 0;
    const tempRootsDir = path.join(store.stateDir, "temproots");
    const limitReached = (): boolean => opts.maxFreed !== undefined && bytesFreed >= opts.maxFreed;

    for (const p of referrersFirst(store, dead)) {
      if (limitReached()) break;
      if (opts.dryRun) {
        log(p);
        deleted.push(p);
        continue;
      }
      const lock = store.lockPath(p, false);
      if (lock === null) continue; // someone is working on it
      try {
        // A process may have started using it since the roots were read (see LocalStore.validUnderLock).
        if (readTempRoots(tempRootsDir, false).has(p)) continue;
        if (!store.isValid(p)) continue;
        if (store.queryReferrers(p).some((r) => r !== p && !dead.has(r))) continue;
        try {
          store.db.invalidatePath(p);
        } catch {
          continue; // a new referrer appeared meanwhile
        }
        log(`deleting '${p}'`);
        bytesFreed += deleteTree(store.toPhysical(p));
        deleted.push(p);
      } finally {
        lock.release();
      }
    }

    if (!opts.dryRun && !limitReached()) {
      for (const name of garbageEntries(store)) {
        const phys = path.join(store.realStoreDir, name);
        if (name.startsWith(".")) {
          bytesFreed += deleteTree(phys);
          continue;
        }
        const logical = `${store.storeDir}/${name}`;
        const lock = store.lockPath(logical, false);
        if (lock === null) continue;
        try {
          if (store.isValid(logical) || readTempRoots(tempRootsDir, false).has(logical)) continue;
          log(`deleting '${logical}'`);
          bytesFreed += deleteTree(phys);
        } finally {
          lock.release();
        }
      }
    }
    return { deleted, bytesFreed };
  } finally {
    gcLock.release();
  }
}

/**
 * Deletes specific paths (`nix store delete`): refuses paths that are still alive (reachable from a
 * root, or referenced by a path that is not being deleted) unless `ignoreLiveness`.
 */
export function deletePaths(
  store: LocalStore,
  paths: readonly string[],
  opts: { ignoreLiveness?: boolean; log?: (line: string) => void } = {},
): GcResult {
  const log = opts.log ?? (() => {});
  const targets = new Set(paths.map((p) => store.checkStorePath(p)));
  for (const p of targets) if (!store.isValid(p)) throw new StoreError(`path '${p}' is not valid`);
  const gcLock = acquireLock(path.join(store.stateDir, "gc.lock"))!;
  try {
    if (!opts.ignoreLiveness) {
      const live = livePaths(store);
      for (const p of targets) {
        if (live.has(p)) throw new StoreError(`cannot delete path '${p}' since it is still alive`);
      }
    }
    for (const p of targets) {
      const outside = store.queryReferrers(p).filter((r) => r !== p && !targets.has(r));
      if (outside.length > 0) {
        throw new StoreError(`cannot delete path '${p}' since it is still alive: it is referenced by '${outside[0]}'`);
      }
    }
    const deleted: string[] = [];
    let bytesFreed = 0;
    for (const p of referrersFirst(store, targets)) {
      log(`deleting '${p}'`);
      bytesFreed += store.deletePath(p);
      deleted.push(p);
    }
    return { deleted, bytesFreed };
  } finally {
    gcLock.release();
  }
}

/**
 * Registers `link` (any symlink to a store path, e.g. `./result`) as an indirect root: a symlink to
 * it in `gcroots/auto/`, named by a hash of its location. Returns the auto link's path.
 */
export function addIndirectRoot(store: LocalStore, link: string): string {
  const abs = path.resolve(link);
  const name = hashToNix32(hashByteString("sha1", abs));
  const autoLink = path.join(gcrootsDir(store), "auto", name);
  replaceSymlink(abs, autoLink);
  return autoLink;
}

/**
 * Makes `gcRoot` a symlink to `storePath` and a root: directly if it lies under `gcroots/`,
 * otherwise via an indirect root. Returns `gcRoot` (absolute).
 */
export function addPermRoot(store: LocalStore, storePath: string, gcRoot: string): string {
  store.checkStorePath(storePath);
  const abs = path.resolve(gcRoot);
  // Only an earlier root (a symlink into the store) is replaced, never the user's own files.
  let existing: fs.Stats | null = null;
  try {
    existing = fs.lstatSync(abs);
  } catch {
    // nothing there
  }
  if (existing !== null && (!existing.isSymbolicLink() || !fs.readlinkSync(abs).startsWith(store.storeDir + "/"))) {
    throw new StoreError(`cannot create symlink '${abs}'; already exists`);
  }
  replaceSymlink(storePath, abs);
  const rootsDir = gcrootsDir(store) + path.sep;
  if (!abs.startsWith(rootsDir)) addIndirectRoot(store, abs);
  return abs;
}

/** Points symlink `link` at `target`, replacing what was there atomically. */
function replaceSymlink(target: string, link: string): void {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  const tmp = `${link}.tmp-${process.pid}-${Date.now()}`;
  fs.symlinkSync(target, tmp);
  try {
    fs.renameSync(tmp, link);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
