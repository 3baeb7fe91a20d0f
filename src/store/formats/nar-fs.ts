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
   * Called for every entry below the root with its absolute path (raw bytes) and type; returning
   * false leaves the entry (and, for a directory, everything below it) out of the NAR.
   */
  readonly filter?: (path: Buffer, type: FileTypeName) => boolean;
  /**
   * Called for the root and every entry kept, with its path and its own metadata (links not
   * followed), before its contents are read: lets a caller learn about the tree (modification
   * times) in the walk that archives it instead of a walk of its own.
   */
  readonly onEntry?: (path: Buffer, st: fs.Stats) => void;
}

const READ_CHUNK = 1024 * 1024;
const SLASH = Buffer.from("/");

class Dumper {
  private readBuffer: Buffer | null = null;

  constructor(
    private readonly writer: NarEvents,
    private readonly filter: DumpOptions["filter"],
    private readonly onEntry: DumpOptions["onEntry"],
  ) {}

  dump(path: Buffer, st: fs.Stats): void {
    if (st.isSymbolicLink()) {
      this.writer.symlink(fs.readlinkSync(path, { encoding: "buffer" }));
    } else if (st.isFile()) {
      this.dumpFile(path, false);
    } else if (st.isDirectory()) {
      this.dumpDirectory(path);
    } else {
      throw new FormatError(`file '${path.toString()}' has an unsupported type`);
    }
  }

  /** `report`: an entry below the root (the root was reported with its lstat). */
  private dumpFile(path: Buffer, report: boolean): void {
    const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new FormatError(`file '${path.toString()}' changed type while being archived`);
      if (report) this.onEntry?.(path, st);
      const size = st.size;
      this.writer.regularStart((st.mode & 0o100) !== 0, size);
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
          if (n === 0) throw new FormatError(`file '${path.toString()}' shrank while being archived`);
          got += n;
        }
        this.writer.contents(buf.subarray(0, want));
        remaining -= want;
      }
      this.writer.regularEnd();
    } finally {
      fs.closeSync(fd);
    }
  }

  private dumpDirectory(path: Buffer): void {
    const dirents = fs.readdirSync(path, { encoding: "buffer", withFileTypes: true });
    dirents.sort((a, b) => Buffer.compare(a.name as unknown as Buffer, b.name as unknown as Buffer));
    this.writer.directoryStart();
    for (const d of dirents) {
      const name = d.name as unknown as Buffer;
      const child = Buffer.concat([path, SLASH, name]);
      // d_type saves a stat for directories and symlinks; regular files are fstat'ed when opened.
      let type: FileTypeName;
      let st: fs.Stats | null = null;
      if (d.isFile()) type = "regular";
      else if (d.isDirectory()) type = "directory";
      else if (d.isSymbolicLink()) type = "symlink";
      else {
        st = fs.lstatSync(child);
        type = st.isFile() ? "regular" : st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "unknown";
      }
      if (this.filter !== undefined && !this.filter(child, type)) continue;
      // Regular files report the fstat of the opened file (dumpFile); the others need an lstat.
      if (this.onEntry !== undefined && type !== "regular") this.onEntry(child, st ?? fs.lstatSync(child));
      this.writer.entryStart(name);
      switch (type) {
        case "regular":
          this.dumpFile(child, true);
          break;
        case "directory":
          this.dumpDirectory(child);
          break;
        case "symlink":
          this.writer.symlink(fs.readlinkSync(child, { encoding: "buffer" }));
          break;
        case "unknown":
          throw new FormatError(`file '${child.toString()}' has an unsupported type`);
      }
      this.writer.entryEnd();
    }
    this.writer.directoryEnd();
  }
}

function toBuffer(path: string | Buffer): Buffer {
  return typeof path === "string" ? Buffer.from(path) : path;
}

function dumpInto(path: string | Buffer, writer: NarEvents, options: DumpOptions): void {
  const p = toBuffer(path);
  const st = fs.lstatSync(p);
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
  const fd = fs.openSync(toBuffer(path), "r");
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
