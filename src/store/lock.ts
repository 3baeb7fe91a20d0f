// Lock files (`<path>.lock`) that serialise work on one store path between tix processes. A lock is
// held by creating the file exclusively and writing "tix <pid>"; one whose process died is stale.

import * as fs from "node:fs";
import { spawnSync } from "node:child_process";
import { sleepMs } from "./sync-io.js";

/** Whether process `pid` is alive (on this machine). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockOwner(text: string): number | null {
  const m = /^tix (\d+)\n?$/.exec(text);
  return m === null ? null : Number(m[1]);
}

/** Whether someone holds a flock(2) on `file` (how Nix holds its lock files); false if unknown. */
function flockHeld(file: string): boolean {
  const r = spawnSync("flock", ["--nonblock", "--exclusive", file, "true"], { stdio: "ignore" });
  return r.status === 1;
}

/**
 * Decides whether an existing lock file is stale: it names a dead tix process, or it is one of
 * Nix's (empty, or "d" for deleted) that no process holds.
 */
function isStale(file: string): { stale: boolean; ino: number } | null {
  let text: string;
  let ino: number;
  let mtimeMs: number;
  try {
    const st = fs.statSync(file);
    ino = st.ino;
    mtimeMs = st.mtimeMs;
    text = fs.readFileSync(file, "latin1");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const owner = lockOwner(text);
  if (owner !== null) return { stale: owner !== process.pid && !processAlive(owner), ino };
  // Empty: either one of Nix's lock files, or a tix lock in the instant between its creation and
  // the write of its owner; only an old one can be stale, and only if no one holds it with flock.
  if (text === "" || text === "d") {
    const young = Date.now() - mtimeMs < 2000;
    return { stale: !young && !flockHeld(file), ino };
  }
  // Not ours to judge while it is being written; treat as held unless it is old.
  const age = Date.now() - mtimeMs;
  return { stale: age > 60_000, ino };
}

export interface LockOptions {
  /** Wait for the lock (default); false returns null at once when it is held. */
  readonly wait?: boolean;
  /** Called once when the lock is busy and we start waiting. */
  readonly onWait?: () => void;
}

/** A held lock; `release` removes the lock file. */
export class FileLock {
  private held = true;
  constructor(readonly file: string) {}

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      fs.unlinkSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

/** Acquires the lock file `file`; returns null if `wait` is false and it is held elsewhere. */
export function acquireLock(file: string, opts: LockOptions = {}): FileLock | null {
  const wait = opts.wait ?? true;
  let delay = 1;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      try {
        fs.writeSync(fd, `tix ${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return new FileLock(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const state = isStale(file);
    if (state !== null && state.stale) {
      // Remove it only if it is still the same file we judged stale.
      try {
        if (fs.statSync(file).ino === state.ino) fs.unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
      continue;
    }
    if (state === null) continue;
    if (!wait) return null;
    if (!announced) {
      announced = true;
      opts.onWait?.();
    }
    sleepMs(delay);
    delay = Math.min(delay * 2, 100);
  }
}

/** Runs `fn` while holding the lock file `file`. */
export function withLock<T>(file: string, fn: () => T): T {
  const lock = acquireLock(file)!;
  try {
    return fn();
  } finally {
    lock.release();
  }
}
