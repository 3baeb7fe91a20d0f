// Streams a file-system tree from disk as a NAR (to a sink, or straight into a hash), without
// building the tree or the archive in memory. Synchronous: fastest for many small files.

import * as fs from "node:fs";
import { FormatError } from "./errors.js";
import { createHasher, type Hash, type HashAlgo } from "./hash.js";
import { NarWriter, type NarSink } from "./nar.js";
import type { NarEvents } from "./nar-events.js";

export type FileTypeName = "regular" | "directory" | "symlink" | "unknown";

export interface DumpOptions {
  /**
   * Called for every entry below the root with its absolute path (a byte string: one char per
   * byte) and type; returning false leaves the entry (and, for a directory, everything below it)
   * out of the NAR.
   */
  readonly filter?: (path: string, type: FileTypeName) => boolean;
  /**
   * Called for the root and every entry kept, with its path (a byte string, as for `filter`) and
   * its own metadata (links not followed), before its contents are read: lets a caller learn
   * about the tree (modification times, a stamp) in the walk that archives it instead of a walk
   * of its own.
   */
  readonly onEntry?: (path: string, st: fs.Stats) => void;
}

const READ_CHUNK = 1024 * 1024;
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;
const NON_ASCII = /[^\x00-\x7f]/;
/** fstatSync's options, once: its default is a fresh object per call. */
const STAT_NUMBERS = { bigint: false } as const;

/**
 * Paths are walked as byte strings (one char per byte, as readdir's "latin1" names come): they
 * sort by plain string comparison and join without Buffer allocations. Node encodes a string path
 * as UTF-8, which is the same bytes only for ASCII; other paths go to the system as Buffers.
 */
function osPath(path: string): string | Buffer {
  return NON_ASCII.test(path) ? Buffer.from(path, "latin1") : path;
}

/** A byte-string path for messages (its bytes read as UTF-8). */
function shown(path: string): string {
  return Buffer.from(path, "latin1").toString();
}

function byName(a: fs.Dirent, b: fs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

class Dumper {
  private readBuffer: Buffer | null = null;
  /** The writer, when it can take file contents read straight into its own buffer. */
  private readonly direct: NarWriter | null;
  /** The file being read by `fill`: one bound function serves every file. */
  private fd = -1;
  private path = "";
  private readonly fill = (buffer: Buffer, offset: number, max: number): number => {
    const n = fs.readSync(this.fd, buffer, offset, max, null);
    if (n === 0) throw new FormatError(`file '${shown(this.path)}' shrank while being archived`);
    return n;
  };

  constructor(
    private readonly writer: NarEvents,
    private readonly filter: DumpOptions["filter"],
    private readonly onEntry: DumpOptions["onEntry"] = undefined,
  ) {
    this.direct = writer instanceof NarWriter ? writer : null;
  }

  dump(path: string, st: fs.Stats): void {
    if (st.isSymbolicLink()) {
      this.writer.symlink(fs.readlinkSync(osPath(path), { encoding: "buffer" }));
    } else if (st.isFile()) {
      this.dumpFile(path, false);
    } else if (st.isDirectory()) {
      this.dumpDirectory(path);
    } else {
      throw new FormatError(`file '${shown(path)}' has an unsupported type`);
    }
  }

  /** `report`: an entry below the root (the root was reported with its lstat). */
  private dumpFile(path: string, report: boolean): void {
    // O_NOFOLLOW and fstat: what is read is what the walk saw, even if the name changed since.
    const fd = fs.openSync(osPath(path), OPEN_FLAGS);
    try {
      const st = fs.fstatSync(fd, STAT_NUMBERS);
      if (!st.isFile()) throw new FormatError(`file '${shown(path)}' changed type while being archived`);
      if (report) this.onEntry?.(path, st);
      const size = st.size;
      this.writer.regularStart((st.mode & 0o100) !== 0, size);
      if (size > 0) {
        if (this.direct !== null) {
          this.fd = fd;
          this.path = path;
          this.direct.contentsFrom(size, this.fill);
        } else {
          this.copyContents(fd, size, path);
        }
      }
      this.writer.regularEnd();
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Contents as chunks, for writers that cannot be read into (a tee, a recorder). */
  private copyContents(fd: number, size: number, path: string): void {
    let remaining = size;
    while (remaining > 0) {
      const want = Math.min(remaining, READ_CHUNK);
      // Reuse one read buffer when the sink does not keep chunks; otherwise hand over fresh ones.
      let buf: Buffer;
      if (this.writer.transientChunks) {
        this.readBuffer ??= Buffer.allocUnsafe(READ_CHUNK);
        buf = this.readBuffer;
      } else {
        buf = Buffer.allocUnsafe(want);
      }
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, null);
        if (n === 0) throw new FormatError(`file '${shown(path)}' shrank while being archived`);
        got += n;
      }
      this.writer.contents(buf.subarray(0, want));
      remaining -= want;
    }
  }

  private dumpDirectory(path: string): void {
    const dirents = fs.readdirSync(osPath(path), { encoding: "latin1", withFileTypes: true });
    dirents.sort(byName);
    this.writer.directoryStart();
    for (const d of dirents) {
      const name = d.name;
      const child = path + "/" + name;
      // d_type saves a stat for directories and symlinks; regular files are fstat'ed when opened.
      let type: FileTypeName;
      let st: fs.Stats | undefined;
      if (d.isFile()) type = "regular";
      else if (d.isDirectory()) type = "directory";
      else if (d.isSymbolicLink()) type = "symlink";
      else {
        st = fs.lstatSync(osPath(child));
        type = st.isFile() ? "regular" : st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "unknown";
      }
      if (this.filter !== undefined && !this.filter(child, type)) continue;
      // Regular files report the fstat of the opened file (dumpFile); the others need an lstat.
      if (this.onEntry !== undefined && type !== "regular") this.onEntry(child, st ?? fs.lstatSync(osPath(child)));
      this.writer.entryStart(name);
      switch (type) {
        case "regular":
          this.dumpFile(child, true);
          break;
        case "directory":
          this.dumpDirectory(child);
          break;
        case "symlink":
          this.writer.symlink(fs.readlinkSync(osPath(child), { encoding: "buffer" }));
          break;
        case "unknown":
          throw new FormatError(`file '${shown(child)}' has an unsupported type`);
      }
      this.writer.entryEnd();
    }
    this.writer.directoryEnd();
  }
}

/** A path as a byte string: a string path is a normal (UTF-8) file name, a Buffer raw bytes. */
function toByteString(path: string | Buffer): string {
  return typeof path === "string" ? (NON_ASCII.test(path) ? Buffer.from(path).toString("latin1") : path) : path.toString("latin1");
}

function dumpInto(path: string | Buffer, writer: NarEvents, options: DumpOptions): void {
  const p = toByteString(path);
  const st = fs.lstatSync(osPath(p));
  options.onEntry?.(p, st);
  new Dumper(writer, options.filter, options.onEntry).dump(p, st);
  writer.finish();
}

/**
 * Streams the NAR of the file, directory or symlink at `path` (not followed) to `sink`; returns the
 * NAR size. A string path is a normal (UTF-8) file name; pass a Buffer for arbitrary bytes.
 */
export function dumpPath(path: string | Buffer, sink: NarSink, options: DumpOptions = {}): number {
  const writer = new NarWriter(sink);
  dumpInto(path, writer, options);
  return writer.size;
}

/**
 * Walks the file, directory or symlink at `path` (not followed) as NAR events into `target`, e.g. a
 * NarTee that hashes and copies in one pass.
 */
export function dumpPathEvents(path: string | Buffer, target: NarEvents, options: DumpOptions = {}): void {
  dumpInto(path, target, options);
}

/** NAR hash (default sha256) and NAR size of `path`, streamed from disk. */
export function narFromFileSystem(
  path: string | Buffer,
  options: DumpOptions & { readonly algo?: HashAlgo } = {},
): { narHash: Hash; narSize: number } {
  const hasher = createHasher(options.algo ?? "sha256");
  const writer = new NarWriter((c) => hasher.update(c), { transientChunks: true, bufferSize: 256 * 1024 });
  dumpInto(path, writer, options);
  return { narHash: hasher.digest(), narSize: writer.size };
}

/** Hash of a single file's bytes (flat ingestion), streamed from disk. */
export function hashFileContents(path: string | Buffer, algo: HashAlgo = "sha256"): Hash {
  const hasher = createHasher(algo);
  const fd = fs.openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, READ_CHUNK, null);
      if (n === 0) break;
      hasher.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hasher.digest();
}
