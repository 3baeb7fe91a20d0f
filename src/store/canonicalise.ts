// Normalises the metadata of a tree about to become a store path, as Nix leaves store paths: files
// 0444 (0555 if executable), directories 0555, modification times 1 (the epoch + 1s). Also deletes such read-only trees.

import * as fs from "node:fs";

/** The modification time of everything in the store. */
export const STORE_MTIME = 1;

const SLASH = Buffer.from("/");

/** Canonicalises `path` and everything below it (symlinks are not followed). */
export function canonicaliseTree(path: string | Buffer): void {
  const p = typeof path === "string" ? Buffer.from(path) : path;
  walk(p, fs.lstatSync(p));
}

function walk(p: Buffer, st: fs.Stats): void {
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p, { encoding: "buffer" })) {
      const child = Buffer.concat([p, SLASH, name]);
      walk(child, fs.lstatSync(child));
    }
  } else if (!st.isFile() && !st.isSymbolicLink()) {
    throw new Error(`file '${p.toString()}' has an unsupported type`);
  }
  if (!st.isSymbolicLink()) {
    const perm = st.mode & 0o7777;
    const want = st.isDirectory() || (st.mode & 0o100) !== 0 ? 0o555 : 0o444;
    if (perm !== want) fs.chmodSync(p, want);
  }
  if (st.mtimeMs !== STORE_MTIME * 1000) fs.lutimesSync(p, st.atime, STORE_MTIME);
}

/**
 * Deletes a file or tree (store trees are read-only, so directories are made writable first);
 * returns the number of bytes the regular files in it held. Missing paths are fine.
 */
export function deleteTree(path: string | Buffer): number {
  const p = typeof path === "string" ? Buffer.from(path) : path;
  let freed = 0;
  const measure = (q: Buffer): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(q);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if ((st.mode & 0o700) !== 0o700) fs.chmodSync(q, (st.mode & 0o7777) | 0o700);
      for (const name of fs.readdirSync(q, { encoding: "buffer" })) measure(Buffer.concat([q, SLASH, name]));
    } else {
      freed += st.blocks * 512;
    }
  };
  // Nothing there (a new store path's usual case): skip rmSync, whose first call loads node's rimraf.
  if (fs.lstatSync(p, { throwIfNoEntry: false }) === undefined) return 0;
  measure(p);
  fs.rmSync(p, { recursive: true, force: true });
  return freed;
}
