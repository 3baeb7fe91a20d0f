// Nix-style profiles: a symlink `P` to a numbered generation link `P-N-link` beside it, which
// points at a store path. Generation links are GC roots when the profile lies below the store's
// `profiles` directory; elsewhere the caller registers them (see `onNewLink`).

import * as fs from "node:fs";
import * as path from "node:path";
import { withLock } from "../store/lock.js";
import { SystemError } from "./errors.js";

export interface Generation {
  readonly number: number;
  /** The generation link (`P-N-link`). */
  readonly link: string;
  /** What it points at (a store path). */
  readonly storePath: string;
  /** When it was made (the link's mtime). */
  readonly date: Date;
  readonly current: boolean;
}

export interface SetProfileOptions {
  /** Called with each new generation link (to register it as a GC root). */
  readonly onNewLink?: (link: string) => void;
}

function linkName(profile: string, n: number): string {
  return `${path.basename(profile)}-${n}-link`;
}

function generationOfName(profile: string, name: string): number | null {
  const base = path.basename(profile);
  if (!name.startsWith(base + "-") || !name.endsWith("-link")) return null;
  const mid = name.slice(base.length + 1, name.length - "-link".length);
  return /^[0-9]+$/.test(mid) ? Number(mid) : null;
}

/** The generation the profile points at, or null (no profile, or not a generation link). */
export function currentGeneration(profile: string): number | null {
  let target: string;
  try {
    target = fs.readlinkSync(profile);
  } catch {
    return null;
  }
  return generationOfName(profile, path.basename(target));
}

/** All generations, oldest first. */
export function listGenerations(profile: string): Generation[] {
  const dir = path.dirname(profile);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const current = currentGeneration(profile);
  const out: Generation[] = [];
  for (const name of names) {
    const n = generationOfName(profile, name);
    if (n === null) continue;
    const link = path.join(dir, name);
    let st: fs.Stats;
    let target: string;
    try {
      st = fs.lstatSync(link);
      target = fs.readlinkSync(link);
    } catch {
      continue;
    }
    out.push({ number: n, link, storePath: target, date: st.mtime, current: n === current });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** The store path the profile's current generation points at, or null. */
export function profileStorePath(profile: string): string | null {
  const n = currentGeneration(profile);
  if (n === null) return null;
  return listGenerations(profile).find((g) => g.number === n)?.storePath ?? null;
}

/** Points `link` at `target` atomically (a temporary link renamed over it). */
export function replaceSymlink(target: string, link: string): void {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  const tmp = `${link}.tmp-${process.pid}-${Date.now()}`;
  fs.symlinkSync(target, tmp);
  fs.renameSync(tmp, link);
}

function withProfileLock<T>(profile: string, fn: () => T): T {
  fs.mkdirSync(path.dirname(profile), { recursive: true });
  return withLock(`${profile}.lock`, fn);
}

/**
 * Makes `storePath` the profile's current generation (`nix-env -p P --set`): a new generation
 * numbered one above the highest, unless the highest already points at `storePath` (reused).
 */
export function setProfile(profile: string, storePath: string, opts: SetProfileOptions = {}): { generation: number; created: boolean } {
  return withProfileLock(profile, () => {
    const gens = listGenerations(profile);
    const last = gens[gens.length - 1];
    let n: number;
    let created = false;
    if (last !== undefined && last.storePath === storePath) {
      n = last.number;
    } else {
      n = (last?.number ?? 0) + 1;
      const link = path.join(path.dirname(profile), linkName(profile, n));
      replaceSymlink(storePath, link);
      opts.onNewLink?.(link);
      created = true;
    }
    replaceSymlink(linkName(profile, n), profile);
    return { generation: n, created };
  });
}

/** Points the profile at generation `n` (`--switch-generation`). */
export function switchGeneration(profile: string, n: number): { from: number | null; to: number } {
  return withProfileLock(profile, () => {
    const from = currentGeneration(profile);
    if (!listGenerations(profile).some((g) => g.number === n)) {
      throw new SystemError(`generation ${n} does not exist`);
    }
    replaceSymlink(linkName(profile, n), profile);
    return { from, to: n };
  });
}

/** The highest generation below the current one, or an error (`--rollback`'s choice). */
export function previousGeneration(profile: string): Generation {
  const cur = currentGeneration(profile);
  const older = listGenerations(profile).filter((g) => cur === null || g.number < cur);
  const prev = older[older.length - 1];
  if (prev === undefined) {
    throw new SystemError(`no profile version older than the current (${cur ?? 0}) exists`);
  }
  return prev;
}

/** Goes back to the previous generation; the message is "switching profile from version N to M". */
export function rollbackProfile(profile: string): { from: number | null; to: number } {
  return withProfileLock(profile, () => {
    const from = currentGeneration(profile);
    const prev = previousGeneration(profile);
    replaceSymlink(linkName(profile, prev.number), profile);
    return { from, to: prev.number };
  });
}

/**
 * Deletes generations (never the current one): the numbers given, or with "old" all but the
 * current. Returns the numbers deleted.
 */
export function deleteGenerations(profile: string, which: readonly number[] | "old"): number[] {
  return withProfileLock(profile, () => {
    const cur = currentGeneration(profile);
    const gens = listGenerations(profile);
    const wanted = which === "old" ? gens.map((g) => g.number).filter((n) => n !== cur) : [...which];
    const deleted: number[] = [];
    for (const n of wanted) {
      if (n === cur) throw new SystemError(`cannot delete the current generation (${n})`);
      const g = gens.find((x) => x.number === n);
      if (g === undefined) continue;
      fs.unlinkSync(g.link);
      deleted.push(n);
    }
    return deleted;
  });
}

/** Removes a profile and all its generation links. */
export function removeProfile(profile: string): void {
  for (const g of listGenerations(profile)) fs.rmSync(g.link, { force: true });
  fs.rmSync(profile, { force: true });
}
