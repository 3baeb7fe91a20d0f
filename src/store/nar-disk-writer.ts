// Writes a tree onto disk from NAR events (from a parsed NAR or straight from a walk of another
// tree), optionally with the store's canonical metadata as it goes, so no second pass is needed.

import * as fs from "node:fs";
import type { NarEvents } from "./formats/index.js";
import { STORE_MTIME } from "./canonicalise.js";
import { describeErrno } from "../eval/os-error.js";
import { StoreError } from "./errors.js";

const SLASH = Buffer.from("/");
const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;

function bytesOf(s: string | Uint8Array): Buffer {
  return typeof s === "string" ? Buffer.from(s, "latin1") : Buffer.from(s.buffer, s.byteOffset, s.byteLength);
}

export interface DiskWriterOptions {
  /**
   * Give everything the store's canonical metadata as it is written (files 0444/0555, directories
   * 0555, modification time 1), instead of ordinary permissions.
   */
  readonly canonical?: boolean;
}

/**
 * Creates the tree at `dest` (which must not exist; its parent must). Entry names are trusted to be
 * valid: check them before (a NarWriter or the NAR parser in front of this does). After an error,
 * call `abort` and delete `dest`.
 */
export class NarDiskWriter implements NarEvents {
  readonly transientChunks = true;
  private readonly canonical: boolean;
  /** Path of the node being written, and of each enclosing directory. */
  private readonly paths: Buffer[];
  private fd = -1;
  private fileMode = 0;
  /** File modes the umask was seen to leave intact, so fchmod can be skipped for them. */
  private readonly modesKeptByUmask = new Set<number>();

  constructor(dest: string | Buffer, opts: DiskWriterOptions = {}) {
    this.canonical = opts.canonical ?? false;
    this.paths = [typeof dest === "string" ? Buffer.from(dest) : dest];
  }

  private get current(): Buffer {
    return this.paths[this.paths.length - 1]!;
  }

  regularStart(executable: boolean, _size: number): void {
    const mode = this.canonical ? (executable ? 0o555 : 0o444) : executable ? 0o755 : 0o644;
    this.fd = creating(this.current, () => fs.openSync(this.current, CREATE_FLAGS, mode));
    this.fileMode = mode;
  }

  contents(chunk: Uint8Array): void {
    let written = 0;
    try {
      while (written < chunk.length) written += fs.writeSync(this.fd, chunk, written, chunk.length - written);
    } catch (e) {
      throw osError(e, `writing to file '${this.current.toString()}'`);
    }
  }

  regularEnd(): void {
    const fd = this.fd;
    this.fd = -1;
    try {
      if (this.canonical) {
        this.ensureMode(fd);
        fs.futimesSync(fd, STORE_MTIME, STORE_MTIME);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  symlink(target: string | Uint8Array): void {
    const p = this.current;
    creating(p, () => fs.symlinkSync(bytesOf(target), p));
    if (this.canonical) fs.lutimesSync(p, STORE_MTIME, STORE_MTIME);
  }

  directoryStart(): void {
    creating(this.current, () => fs.mkdirSync(this.current, { mode: 0o755 }));
  }

  entryStart(name: string | Uint8Array): void {
    this.paths.push(Buffer.concat([this.current, SLASH, bytesOf(name)]));
  }

  entryEnd(): void {
    this.paths.pop();
  }

  directoryEnd(): void {
    if (!this.canonical) return;
    const p = this.current;
    fs.chmodSync(p, 0o555);
    fs.utimesSync(p, STORE_MTIME, STORE_MTIME);
  }

  finish(): void {}

  /** Releases what an interrupted write holds open (the tree itself is the caller's to delete). */
  abort(): void {
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already failing; the first error is the one to report
      }
      this.fd = -1;
    }
  }

  /** The umask may have taken bits from the mode given to open; check once per mode, fix if so. */
  private ensureMode(fd: number): void {
    const mode = this.fileMode;
    if (this.modesKeptByUmask.has(mode)) return;
    if ((fs.fstatSync(fd).mode & 0o7777) === mode) this.modesKeptByUmask.add(mode);
    else fs.fchmodSync(fd, mode);
  }
}

/** Runs `create` for `p`; an OS error says so the way Nix does (`creating file 'P': File exists`). */
function creating<T>(p: Buffer, create: () => T): T {
  try {
    return create();
  } catch (e) {
    throw osError(e, `creating file '${p.toString()}'`);
  }
}

function osError(e: unknown, doing: string): unknown {
  const err = e as NodeJS.ErrnoException;
  return err?.code === undefined ? e : new StoreError(`${doing}: ${describeErrno(err)}`);
}
