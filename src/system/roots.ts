// Where a system's files live: the root directory its absolute paths are relative to (`/` for
// the real machine, a directory for tests and `--root`), and the physical root of the store.

import * as fs from "node:fs";
import * as path from "node:path";

export const STORE_DIR = "/nix/store";

export interface SystemRoots {
  /** The directory standing for `/` (state, profiles, `/etc`, `/run`, …). */
  readonly root: string;
  /** The physical root of the store (`/` for the real `/nix/store`, else a chroot store). */
  readonly storeRoot: string;
}

export function makeRoots(root: string, storeRoot?: string | null): SystemRoots {
  const r = path.resolve(root);
  return { root: r, storeRoot: storeRoot === undefined || storeRoot === null ? r : path.resolve(storeRoot) };
}

/** The host path of absolute path `p` of the system rooted at `root`. */
export function underRoot(root: string, p: string): string {
  return root === "/" ? p : path.join(root, p);
}

/** Where store path (or a path inside one) `p` is on disk. */
export function storePhysical(roots: SystemRoots, p: string): string {
  return underRoot(roots.storeRoot, p);
}

/** The store path (`/nix/store/HASH-NAME`) that `p` lies in, or null. */
export function storePathOf(p: string): string | null {
  if (!p.startsWith(STORE_DIR + "/")) return null;
  const name = p.slice(STORE_DIR.length + 1).split("/")[0]!;
  return name === "" ? null : `${STORE_DIR}/${name}`;
}

/**
 * Follows the symlink chain starting at absolute path `p` of the system (e.g. a profile or
 * `/run/current-system`), reading links inside `roots.root`, until it reaches the store; returns
 * the logical path there (possibly below a store path), or null if the chain ends elsewhere.
 */
export function resolveIntoStore(roots: SystemRoots, p: string): string | null {
  let cur = p;
  for (let hops = 0; hops < 40; hops++) {
    if (storePathOf(cur) !== null) return cur;
    let target: string;
    try {
      target = fs.readlinkSync(underRoot(roots.root, cur));
    } catch {
      return null;
    }
    cur = path.resolve(path.dirname(cur), target);
  }
  return null;
}
