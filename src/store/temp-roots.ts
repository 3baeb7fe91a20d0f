// Temporary GC roots: each process lists the store paths it is using in `temproots/<pid>`
// (NUL-terminated), so a concurrent garbage collection keeps them; files of dead processes are stale.

import * as fs from "node:fs";
import * as path from "node:path";
import { processAlive } from "./lock.js";

/** This process's temp-roots file for one state directory, created on first use. */
export class TempRoots {
  private fd: number | null = null;
  private readonly added = new Set<string>();

  constructor(readonly dir: string) {}

  get file(): string {
    return path.join(this.dir, `${process.pid}`);
  }

  add(storePath: string): void {
    if (this.added.has(storePath)) return;
    if (this.fd === null) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.fd = fs.openSync(this.file, "a", 0o600);
    }
    fs.writeSync(this.fd, `${storePath}\0`);
    this.added.add(storePath);
  }

  /** Closes and removes the file (the roots end with the process anyway). */
  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    this.added.clear();
    try {
      fs.unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}

/**
 * The temp roots of all live processes; files of dead processes are deleted (when `cleanStale`).
 */
export function readTempRoots(dir: string, cleanStale = true): Set<string> {
  const roots = new Set<string>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return roots;
    throw e;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const file = path.join(dir, name);
    const pid = Number(name);
    if (pid !== process.pid && !processAlive(pid)) {
      if (cleanStale) fs.rmSync(file, { force: true });
      continue;
    }
    let text: string;
    try {
      text = fs.readFileSync(file, "latin1");
    } catch {
      continue;
    }
    for (const p of text.split("\0")) if (p !== "") roots.add(p);
  }
  return roots;
}
