// Unpacks a NAR onto disk as it arrives (push-based: feed chunks, then `end`), checking it as
// strictly as the in-memory parser; a malformed archive raises a FormatError part-way through.

import { FormatError, NAR_MAGIC, narEntryNameProblem } from "./formats/index.js";
import { NarDiskWriter, type DiskWriterOptions } from "./nar-disk-writer.js";

const MAX_DEPTH = 4096;
const MAX_TOKEN = 4096;
/** File contents are written in pieces of at most this many bytes. */
const CONTENT_PIECE = 1024 * 1024;
/** Smaller input chunks of file contents are gathered before being written. */
const MIN_DIRECT_PIECE = 64 * 1024;

/**
 * A request from the parser: exactly `n` bytes, or (`partial`, for file contents) up to `n` bytes
 * when at least MIN_DIRECT_PIECE are at hand.
 */
type Need = { readonly n: number; readonly partial: boolean };

function pad(len: number): number {
  return (8 - (len & 7)) & 7;
}

function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export type RestoreOptions = DiskWriterOptions;

/**
 * Restores one NAR to `dest` (which must not exist; its parent must). Call `push` with successive
 * chunks and `end` once the input is exhausted. On any error the caller should delete `dest`.
 */
export class NarRestorer {
  private readonly gen: Generator<Need, void, Uint8Array>;
  private need: Need | null;
  private done = false;
  /** Bytes gathered for a request that spans chunks. */
  private acc: Buffer | null = null;
  private accLen = 0;
  private offset = 0;

  private readonly out: NarDiskWriter;

  constructor(dest: string | Buffer, opts: RestoreOptions = {}) {
    this.out = new NarDiskWriter(dest, opts);
    this.gen = this.parse();
    const first = this.gen.next();
    this.need = first.done ? null : first.value;
  }

  /** Number of NAR bytes consumed so far. */
  get size(): number {
    return this.offset;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.need === null) {
        throw new FormatError(`unexpected data after the end of the NAR (at byte ${this.offset})`, this.offset);
      }
      const { n, partial } = this.need;
      const avail = chunk.length - pos;
      if (this.acc === null && (avail >= n || (partial && avail >= MIN_DIRECT_PIECE))) {
        const take = Math.min(n, avail);
        const piece = chunk.subarray(pos, pos + take);
        pos += take;
        this.feed(piece);
        continue;
      }
      // Gather into the accumulator until the request is complete.
      this.acc ??= Buffer.allocUnsafe(n);
      const take = Math.min(n - this.accLen, avail);
      this.acc.set(chunk.subarray(pos, pos + take), this.accLen);
      this.accLen += take;
      pos += take;
      if (this.accLen === n) {
        const full = this.acc;
        this.acc = null;
        this.accLen = 0;
        this.feed(full);
      }
    }
  }

  /** Declares the input finished; throws if the NAR is incomplete. */
  end(): void {
    if (this.need !== null || !this.done) {
      throw new FormatError(`NAR is truncated: input ended after ${this.offset + this.accLen} bytes`, this.offset + this.accLen);
    }
  }

  private feed(bytes: Uint8Array): void {
    this.offset += bytes.length;
    let r: IteratorResult<Need, void>;
    try {
      r = this.gen.next(bytes);
    } catch (e) {
      this.out.abort();
      throw e;
    }
    if (r.done) {
      this.need = null;
      this.done = true;
    } else {
      this.need = r.value;
    }
  }

  // --- the parser, written as a generator that asks for bytes ---

  private fail(message: string, at = this.offset): never {
    throw new FormatError(`${message} (at byte ${at} of the NAR)`, at);
  }

  private *readLength(): Generator<Need, number, Uint8Array> {
    const at = this.offset;
    const b = yield { n: 8, partial: false };
    const view = new DataView(b.buffer, b.byteOffset, 8);
    const lo = view.getUint32(0, true);
    const hi = view.getUint32(4, true);
    if (hi >= 0x200000) this.fail("NAR length field is implausibly large", at);
    return hi * 0x100000000 + lo;
  }

  private *readPadding(len: number): Generator<Need, void, Uint8Array> {
    const p = pad(len);
    if (p === 0) return;
    const at = this.offset;
    const b = yield { n: p, partial: false };
    for (let i = 0; i < p; i++) if (b[i] !== 0) this.fail("NAR string has non-zero padding", at + i);
  }

  /** A short token as a byte string (one char per byte). */
  private *readString(max = MAX_TOKEN): Generator<Need, string, Uint8Array> {
    const at = this.offset;
    const len = yield* this.readLength();
    if (len > max) this.fail(`NAR string of ${len} bytes is longer than allowed here (${max})`, at);
    let s = "";
    if (len > 0) {
      const b = yield { n: len, partial: false };
      s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
    }
    yield* this.readPadding(len);
    return s;
  }

  private *expect(token: string, context: string): Generator<Need, void, Uint8Array> {
    const at = this.offset;
    const got = yield* this.readString(64);
    if (got !== token) this.fail(`expected '${token}' ${context}, found '${printable(got)}'`, at);
  }

  private *parse(): Generator<Need, void, Uint8Array> {
    const head = yield { n: 8, partial: false };
    const view = new DataView(head.buffer, head.byteOffset, 8);
    const magicLen = view.getUint32(0, true);
    if (magicLen !== NAR_MAGIC.length || view.getUint32(4, true) !== 0) {
      this.fail("input doesn't look like a Nix archive (no 'nix-archive-1' header)", 0);
    }
    const magic = yield { n: magicLen, partial: false };
    if (Buffer.from(magic).toString("latin1") !== NAR_MAGIC) {
      this.fail("input doesn't look like a Nix archive (no 'nix-archive-1' header)", 0);
    }
    yield* this.readPadding(magicLen);
    yield* this.node(0);
    this.out.finish();
  }

  private *node(depth: number): Generator<Need, void, Uint8Array> {
    if (depth > MAX_DEPTH) this.fail(`NAR nests directories more than ${MAX_DEPTH} levels deep`);
    yield* this.expect("(", "at the start of a node");
    yield* this.expect("type", "after '('");
    const typeAt = this.offset;
    const type = yield* this.readString(64);
    switch (type) {
      case "regular":
        yield* this.regular();
        return;
      case "symlink": {
        yield* this.expect("target", "in a symlink");
        const targetAt = this.offset;
        const target = yield* this.readString();
        if (target.length === 0) this.fail("NAR symlink has an empty target", targetAt);
        if (target.includes("\0")) this.fail("NAR symlink target contains a NUL byte", targetAt);
        yield* this.expect(")", "at the end of a symlink");
        this.out.symlink(target);
        return;
      }
      case "directory":
        yield* this.directory(depth);
        return;
      default:
        this.fail(`unknown NAR node type '${printable(type)}'`, typeAt);
    }
  }

  private *regular(): Generator<Need, void, Uint8Array> {
    const tagAt = this.offset;
    const tag = yield* this.readString(64);
    let executable = false;
    if (tag === "executable") {
      const markerAt = this.offset;
      const marker = yield* this.readString(64);
      if (marker.length !== 0) this.fail("the 'executable' marker of a NAR file must be followed by an empty string", markerAt);
      executable = true;
      yield* this.expect("contents", "after 'executable'");
    } else if (tag !== "contents") {
      this.fail(`expected 'executable' or 'contents' in a regular file, found '${printable(tag)}'`, tagAt);
    }
    const size = yield* this.readLength();
    this.out.regularStart(executable, size);
    let remaining = size;
    while (remaining > 0) {
      const piece = yield { n: Math.min(remaining, CONTENT_PIECE), partial: true };
      this.out.contents(piece);
      remaining -= piece.length;
    }
    this.out.regularEnd();
    yield* this.readPadding(size);
    yield* this.expect(")", "at the end of a regular file");
  }

  private *directory(depth: number): Generator<Need, void, Uint8Array> {
    this.out.directoryStart();
    let prev: string | null = null;
    for (;;) {
      const tagAt = this.offset;
      const tag = yield* this.readString(64);
      if (tag === ")") {
        this.out.directoryEnd();
        return;
      }
      if (tag !== "entry") this.fail(`expected 'entry' or ')' in a directory, found '${printable(tag)}'`, tagAt);
      yield* this.expect("(", "after 'entry'");
      yield* this.expect("name", "in a directory entry");
      const nameAt = this.offset;
      const name = yield* this.readString(MAX_TOKEN);
      const problem = narEntryNameProblem(name);
      if (problem !== null) this.fail(`NAR contains invalid file name '${printable(name)}': it ${problem}`, nameAt);
      if (prev !== null && name <= prev) {
        this.fail(
          name === prev
            ? `NAR directory contains duplicate entry '${printable(name)}'`
            : `NAR directory is not sorted: '${printable(name)}' comes after '${printable(prev)}'`,
          nameAt,
        );
      }
      prev = name;
      yield* this.expect("node", "after an entry name");
      this.out.entryStart(name);
      yield* this.node(depth + 1);
      yield* this.expect(")", "at the end of a directory entry");
      this.out.entryEnd();
    }
  }
}

/** Restores a NAR held in memory to `dest`. */
export function restoreNarBytes(bytes: Uint8Array, dest: string | Buffer, opts: RestoreOptions = {}): void {
  const r = new NarRestorer(dest, opts);
  r.push(bytes);
  r.end();
}
