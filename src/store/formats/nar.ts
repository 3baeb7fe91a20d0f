// NAR ("Nix ARchive"): the canonical serialisation of a file-system tree that store paths are hashed
// over. A streaming writer (chunks go to a callback), tree (de)serialisation and strict parsing.
//
// Names and symlink targets are byte strings: one JS char per byte (0–255), like evaluator strings.
// Wire format: every token is a u64 little-endian length, the bytes, and zero padding to 8 bytes.

import { FormatError } from "./errors.js";
import { createHasher, type Hash, type HashAlgo } from "./hash.js";
import type { NarEvents } from "./nar-events.js";

export type NarNode =
  | { readonly type: "regular"; readonly executable: boolean; readonly contents: Uint8Array }
  | { readonly type: "symlink"; readonly target: string }
  | { readonly type: "directory"; readonly entries: ReadonlyMap<string, NarNode> };

/**
 * Receives the NAR bytes in order. Unless the writer was created with `transientChunks`, a chunk is
 * never modified after it was handed over, so the sink may keep it (e.g. queue it for a stream).
 */
export type NarSink = (chunk: Uint8Array) => void;

export interface NarWriterOptions {
  /** Size of the buffer that small tokens and small files are gathered in (default 64 KiB). */
  readonly bufferSize?: number;
  /**
   * The sink consumes every chunk before returning and keeps no reference to it (hashing does), so
   * buffers may be reused. Faster; wrong for sinks that queue chunks.
   */
  readonly transientChunks?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Constant token sequences, pre-encoded once.

/**
 * Plain typed arrays rather than Buffers: every command loads this module, and the first
 * Buffer.alloc/from/concat calls compile Node internals (~0.9 ms at start-up).
 */
function encodeTokens(...tokens: string[]): Uint8Array {
  let size = 0;
  for (const t of tokens) size += 8 + t.length + padding(t.length);
  const bytes = new Uint8Array(size);
  let pos = 0;
  for (const t of tokens) {
    // Little-endian 64-bit length (tokens are short), then the ASCII bytes, then zero padding.
    bytes[pos] = t.length;
    pos += 8;
    for (let i = 0; i < t.length; i++) bytes[pos++] = t.charCodeAt(i);
    pos += padding(t.length);
  }
  return bytes;
}

function padding(len: number): number {
  return (8 - (len & 7)) & 7;
}

export const NAR_MAGIC = "nix-archive-1";
const MAGIC = encodeTokens(NAR_MAGIC);
const REGULAR_HEAD = encodeTokens("(", "type", "regular", "contents");
const EXECUTABLE_HEAD = encodeTokens("(", "type", "regular", "executable", "", "contents");
const SYMLINK_HEAD = encodeTokens("(", "type", "symlink", "target");
const DIRECTORY_HEAD = encodeTokens("(", "type", "directory");
const ENTRY_HEAD = encodeTokens("entry", "(", "name");
const NODE_TOKEN = encodeTokens("node");
const CLOSE = encodeTokens(")");

// ---------------------------------------------------------------------------------------------
// Writer

type Frame = "directory" | "entry";

/**
 * Emits a NAR event by event, so trees can be streamed from anywhere (memory, disk) without
 * materialising the archive. Small writes are gathered into a buffer; big file contents pass through.
 * Call order: a node is `regularStart` + `contents`* + `regularEnd`, or `symlink`, or
 * `directoryStart` + (`entryStart(name)` node `entryEnd`)* + `directoryEnd`; then `finish`.
 * Entries must come in strictly increasing byte order of their names (checked).
 */
export class NarWriter implements NarEvents {
  private readonly sink: NarSink;
  private readonly bufferSize: number;
  readonly transientChunks: boolean;
  private buf: Buffer;
  private pos = 0;
  private flushed = 0;
  private started = false;
  private finished = false;
  private readonly stack: Frame[] = [];
  private readonly lastNames: (string | null)[] = [];
  /** Bytes of file contents still expected; -1 when not inside a regular file. */
  private remainingContents = -1;
  private declaredSize = 0;

  constructor(sink: NarSink, options: NarWriterOptions = {}) {
    this.sink = sink;
    this.bufferSize = Math.max(options.bufferSize ?? 64 * 1024, 256);
    this.transientChunks = options.transientChunks ?? false;
    this.buf = Buffer.allocUnsafe(this.bufferSize);
  }

  /** Total number of NAR bytes produced so far (including ones not yet flushed). */
  get size(): number {
    return this.flushed + this.pos;
  }

  regularStart(executable: boolean, size: number): void {
    if (!Number.isSafeInteger(size) || size < 0) throw new FormatError(`NAR writer: invalid file size ${size}`);
    this.beginNode();
    this.put(executable ? EXECUTABLE_HEAD : REGULAR_HEAD);
    this.putLength(size);
    this.remainingContents = size;
    this.declaredSize = size;
  }

  contents(chunk: Uint8Array): void {
    if (chunk.length > this.remainingContents) {
      throw new FormatError(
        this.remainingContents < 0
          ? "NAR writer: contents outside of a regular file"
          : `NAR writer: file contents exceed the declared size by ${chunk.length - this.remainingContents} bytes`,
      );
    }
    this.remainingContents -= chunk.length;
    this.putData(chunk);
  }

  /**
   * Adds `length` bytes of the current file's contents that `fill(buffer, offset, max)` reads
   * straight into the writer's buffer, returning how many it wrote (at least one; it throws when
   * the source ends early). Saves copying contents that come from a file; a file that fits the
   * buffer is asked for in one piece.
   */
  contentsFrom(length: number, fill: (buffer: Buffer, offset: number, max: number) => number): void {
    if (length > this.remainingContents) {
      throw new FormatError(
        this.remainingContents < 0
          ? "NAR writer: contents outside of a regular file"
          : `NAR writer: file contents exceed the declared size by ${length - this.remainingContents} bytes`,
      );
    }
    if (length > this.buf.length - this.pos && length <= this.buf.length) this.flush();
    let left = length;
    while (left > 0) {
      if (!this.transientChunks && left >= this.bufferSize) {
        // A sink that keeps chunks gets large contents in large fresh chunks, as `contents` does.
        this.flush();
        const chunk = Buffer.allocUnsafe(Math.min(left, LARGE_CHUNK));
        for (let got = 0; got < chunk.length; ) got += fill(chunk, got, chunk.length - got);
        this.flushed += chunk.length;
        this.sink(chunk);
        left -= chunk.length;
        continue;
      }
      if (this.pos === this.buf.length) this.flush();
      const n = fill(this.buf, this.pos, Math.min(left, this.buf.length - this.pos));
      this.pos += n;
      left -= n;
    }
    this.remainingContents -= length;
  }

  regularEnd(): void {
    if (this.remainingContents !== 0) {
      throw new FormatError(
        this.remainingContents < 0
          ? "NAR writer: regularEnd outside of a regular file"
          : `NAR writer: file contents are ${this.remainingContents} bytes short of the declared size`,
      );
    }
    this.remainingContents = -1;
    this.putPaddingFor(this.declaredSize);
    this.put(CLOSE);
    this.endNode();
  }

  /** `target` is a byte string (or raw bytes). */
  symlink(target: string | Uint8Array): void {
    if (target.length === 0) throw new FormatError("NAR writer: symlink with an empty target");
    if (typeof target === "string" && NOT_BYTE_STRING.test(target)) {
      throw new FormatError(`NAR writer: symlink target '${target}' is not a byte string`);
    }
    this.beginNode();
    this.put(SYMLINK_HEAD);
    this.putString(target);
    this.put(CLOSE);
    this.endNode();
  }

  directoryStart(): void {
    this.beginNode();
    this.put(DIRECTORY_HEAD);
    this.stack.push("directory");
    this.lastNames.push(null);
  }

  /** `name` is a byte string (or raw bytes); it must sort after the previous entry's name. */
  entryStart(name: string | Uint8Array): void {
    if (this.stack[this.stack.length - 1] !== "directory" || this.remainingContents >= 0) {
      throw new FormatError("NAR writer: entry outside of a directory");
    }
    // Raw bytes (names read from disk) are written as they are; only strings can hold non-bytes.
    const nameBytes = typeof name === "string" ? null : Buffer.isBuffer(name) ? name : Buffer.from(name.buffer, name.byteOffset, name.byteLength);
    const nameStr = nameBytes === null ? (name as string) : nameBytes.toString("latin1");
    checkEntryName(nameStr, nameBytes === null);
    const prev = this.lastNames[this.lastNames.length - 1]!;
    if (prev !== null && nameStr <= prev) {
      throw new FormatError(
        nameStr === prev
          ? `NAR writer: duplicate directory entry '${nameStr}'`
          : `NAR writer: directory entries out of order: '${nameStr}' after '${prev}'`,
      );
    }
    this.lastNames[this.lastNames.length - 1] = nameStr;
    this.put(ENTRY_HEAD);
    this.putString(nameBytes ?? nameStr);
    this.put(NODE_TOKEN);
    this.stack.push("entry");
  }

  entryEnd(): void {
    if (this.stack[this.stack.length - 1] !== "entry") throw new FormatError("NAR writer: entryEnd without entryStart");
    this.stack.pop();
    this.put(CLOSE);
  }

  directoryEnd(): void {
    if (this.stack[this.stack.length - 1] !== "directory") {
      throw new FormatError("NAR writer: directoryEnd without directoryStart");
    }
    this.stack.pop();
    this.lastNames.pop();
    this.put(CLOSE);
    this.endNode();
  }

  /** Checks that exactly one complete node was written and flushes what is buffered. */
  finish(): void {
    if (!this.finished || this.stack.length !== 0) throw new FormatError("NAR writer: finish before the root node is complete");
    this.flush();
  }

  // --- internals ---

  private beginNode(): void {
    if (this.remainingContents >= 0) throw new FormatError("NAR writer: node inside a regular file");
    if (!this.started) {
      this.started = true;
      this.put(MAGIC);
    } else if (this.stack[this.stack.length - 1] !== "entry") {
      throw new FormatError(this.finished ? "NAR writer: more than one root node" : "NAR writer: node outside of an entry");
    }
  }

  private endNode(): void {
    if (this.stack.length === 0) this.finished = true;
  }

  private flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.flushed += this.pos;
    this.pos = 0;
    if (!this.transientChunks) this.buf = Buffer.allocUnsafe(this.bufferSize);
    this.sink(chunk);
  }

  private put(bytes: Uint8Array): void {
    if (bytes.length > this.buf.length - this.pos) {
      this.flush();
      if (bytes.length > this.buf.length) {
        this.flushed += bytes.length;
        this.sink(bytes);
        return;
      }
    }
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** File contents: copied when small, handed straight to the sink when large. */
  private putData(bytes: Uint8Array): void {
    if (bytes.length >= this.bufferSize >> 1) {
      this.flush();
      this.flushed += bytes.length;
      this.sink(bytes);
    } else {
      this.put(bytes);
    }
  }

  /** Byte by byte rather than writeUInt32LE: this runs for every node, and needs no checks. */
  private putLength(n: number): void {
    if (this.buf.length - this.pos < 8) this.flush();
    const buf = this.buf;
    const p = this.pos;
    const low = n % 0x100000000;
    const high = Math.floor(n / 0x100000000);
    buf[p] = low & 0xff;
    buf[p + 1] = (low >>> 8) & 0xff;
    buf[p + 2] = (low >>> 16) & 0xff;
    buf[p + 3] = low >>> 24;
    buf[p + 4] = high & 0xff;
    buf[p + 5] = (high >>> 8) & 0xff;
    buf[p + 6] = (high >>> 16) & 0xff;
    buf[p + 7] = high >>> 24;
    this.pos = p + 8;
  }

  private putPaddingFor(len: number): void {
    let pad = padding(len);
    if (pad === 0) return;
    if (this.buf.length - this.pos < pad) this.flush();
    const buf = this.buf;
    while (pad-- > 0) buf[this.pos++] = 0;
  }

  private putString(s: string | Uint8Array): void {
    const len = s.length;
    this.putLength(len);
    if (typeof s === "string") {
      if (len <= SHORT_STRING) {
        // Most names: a loop is cheaper than a call into Buffer.write.
        if (this.buf.length - this.pos < len) this.flush();
        const buf = this.buf;
        let p = this.pos;
        for (let i = 0; i < len; i++) buf[p++] = s.charCodeAt(i);
        this.pos = p;
      } else if (len <= this.buf.length - this.pos) {
        this.buf.write(s, this.pos, len, "latin1");
        this.pos += len;
      } else {
        this.put(Buffer.from(s, "latin1"));
      }
    } else {
      this.put(s);
    }
    this.putPaddingFor(len);
  }
}

/** Why `name` cannot be a NAR directory entry name, or null if it can. */
export function narEntryNameProblem(name: string): string | null {
  if (name === "") return "is empty";
  if (name === "." || name === "..") return `is '${name}'`;
  if (name.includes("/")) return "contains '/'";
  if (name.includes("\0")) return "contains a NUL byte";
  return null;
}

const NOT_BYTE_STRING = /[^\x00-\xff]/;

/** Size of the fresh chunks that large file contents are read into for sinks that keep chunks. */
const LARGE_CHUNK = 1024 * 1024;

/** Strings up to this length are written by a loop rather than by Buffer.write. */
const SHORT_STRING = 64;

function checkEntryName(name: string, mayHoldNonBytes: boolean): void {
  const problem = narEntryNameProblem(name);
  if (problem !== null) throw new FormatError(`invalid NAR entry name '${name}': it ${problem}`);
  if (mayHoldNonBytes && NOT_BYTE_STRING.test(name)) throw new FormatError(`invalid NAR entry name '${name}': not a byte string`);
}

// ---------------------------------------------------------------------------------------------
// Trees

/** Streams the NAR of `node` to `writer` (which must be fresh, or positioned inside an entry). */
export function writeNarNode(writer: NarWriter, node: NarNode): void {
  switch (node.type) {
    case "regular":
      writer.regularStart(node.executable, node.contents.length);
      writer.contents(node.contents);
      writer.regularEnd();
      break;
    case "symlink":
      writer.symlink(node.target);
      break;
    case "directory": {
      writer.directoryStart();
      const names = [...node.entries.keys()].sort();
      for (const name of names) {
        writer.entryStart(name);
        writeNarNode(writer, node.entries.get(name)!);
        writer.entryEnd();
      }
      writer.directoryEnd();
      break;
    }
  }
}

/** Streams the NAR of a whole tree to `sink`; returns its size in bytes. */
export function writeNar(node: NarNode, sink: NarSink, options?: NarWriterOptions): number {
  const writer = new NarWriter(sink, options);
  writeNarNode(writer, node);
  writer.finish();
  return writer.size;
}

/** The NAR of a tree as one buffer. */
export function narToBytes(node: NarNode): Uint8Array {
  const chunks: Uint8Array[] = [];
  writeNar(node, (c) => chunks.push(c));
  return new Uint8Array(Buffer.concat(chunks));
}

/** Hash (default sha256) of the NAR of a tree, computed without materialising the archive. */
export function narHashOfTree(node: NarNode, algo: HashAlgo = "sha256"): Hash {
  return narHashAndSizeOfTree(node, algo).hash;
}

export function narHashAndSizeOfTree(node: NarNode, algo: HashAlgo = "sha256"): { hash: Hash; size: number } {
  const hasher = createHasher(algo);
  const size = writeNar(node, (c) => hasher.update(c), { transientChunks: true });
  return { hash: hasher.digest(), size };
}

// ---------------------------------------------------------------------------------------------
// Parser

const MAX_DEPTH = 4096;

class NarReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  fail(message: string, at = this.pos): never {
    throw new FormatError(`${message} (at byte ${at} of the NAR)`, at);
  }

  readLength(): number {
    const at = this.pos;
    if (this.bytes.length - at < 8) this.fail("NAR is truncated: expected a length field", at);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + at, 8);
    const lo = view.getUint32(0, true);
    const hi = view.getUint32(4, true);
    if (hi >= 0x200000) this.fail(`NAR length field is implausibly large`, at);
    this.pos += 8;
    return hi * 0x100000000 + lo;
  }

  /** A token's bytes (a view into the input), with its padding checked. */
  readBytes(maxLength = Infinity): Uint8Array {
    const at = this.pos;
    const len = this.readLength();
    if (len > maxLength) this.fail(`NAR string of ${len} bytes is longer than allowed here (${maxLength})`, at);
    const padded = len + padding(len);
    if (this.bytes.length - this.pos < padded) {
      this.fail(`NAR is truncated: a ${len}-byte string needs ${padded} bytes but only ${this.bytes.length - this.pos} remain`, at);
    }
    const data = this.bytes.subarray(this.pos, this.pos + len);
    for (let k = this.pos + len; k < this.pos + padded; k++) {
      if (this.bytes[k] !== 0) this.fail("NAR string has non-zero padding", k);
    }
    this.pos += padded;
    return data;
  }

  readString(maxLength = Infinity): string {
    const data = this.readBytes(maxLength);
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
  }

  expect(token: string, context: string): void {
    const at = this.pos;
    const got = this.readString(64);
    if (got !== token) this.fail(`expected '${token}' ${context}, found '${printable(got)}'`, at);
  }
}

function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/**
 * Parses a NAR that starts at `offset` in `bytes`; returns the tree and the offset just past it.
 * File contents in the tree are views into `bytes` (not copies).
 */
export function readNar(bytes: Uint8Array, offset = 0): { node: NarNode; end: number } {
  const r = new NarReader(bytes, offset);
  const at = r.pos;
  const notANar = (): never => r.fail("input doesn't look like a Nix archive (no 'nix-archive-1' header)", at);
  const magicLength = bytes.length - at >= 8 ? new DataView(bytes.buffer, bytes.byteOffset + at, 8).getUint32(0, true) : -1;
  if (magicLength !== NAR_MAGIC.length) notANar();
  if (r.readString(64) !== NAR_MAGIC) notANar();
  const node = readNode(r);
  return { node, end: r.pos };
}

/** Parses exactly one NAR occupying all of `bytes`. */
export function parseNar(bytes: Uint8Array): NarNode {
  const { node, end } = readNar(bytes, 0);
  if (end !== bytes.length) {
    throw new FormatError(`unexpected ${bytes.length - end} bytes of trailing data after the NAR (at byte ${end})`, end);
  }
  return node;
}

interface OpenDirectory {
  readonly entries: Map<string, NarNode>;
  prev: string | null;
  /** Name of the entry whose node is being read. */
  pending: string | null;
}

/**
 * Reads one node. Iterative (an explicit stack of open directories), so hostile nesting cannot
 * overflow the JS stack; depth is still capped.
 */
function readNode(r: NarReader): NarNode {
  const stack: OpenDirectory[] = [];
  for (;;) {
    // Read the node that starts here: a leaf, or a directory we descend into.
    let node: NarNode | null = readNodeHead(r, stack.length);
    if (node === null) {
      stack.push({ entries: new Map(), prev: null, pending: null });
    }
    // Close directories for as long as nodes complete.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return node!;
      if (node !== null) {
        top.entries.set(top.pending!, node);
        r.expect(")", "at the end of a directory entry");
        node = null;
      }
      const name = readEntryStart(r, top);
      if (name === null) {
        stack.pop();
        node = { type: "directory", entries: top.entries };
        continue;
      }
      top.pending = name;
      break;
    }
  }
}

/** Inside a directory: reads the next entry up to its node and returns its name, or null at `)`. */
function readEntryStart(r: NarReader, dir: OpenDirectory): string | null {
  const tagAt = r.pos;
  const tag = r.readString(64);
  if (tag === ")") return null;
  if (tag !== "entry") r.fail(`expected 'entry' or ')' in a directory, found '${printable(tag)}'`, tagAt);
  r.expect("(", "after 'entry'");
  r.expect("name", "in a directory entry");
  const nameAt = r.pos;
  const name = r.readString(4096);
  const problem = narEntryNameProblem(name);
  if (problem !== null) r.fail(`NAR contains invalid file name '${printable(name)}': it ${problem}`, nameAt);
  if (dir.prev !== null && name <= dir.prev) {
    r.fail(
      name === dir.prev
        ? `NAR directory contains duplicate entry '${printable(name)}'`
        : `NAR directory is not sorted: '${printable(name)}' comes after '${printable(dir.prev)}'`,
      nameAt,
    );
  }
  dir.prev = name;
  r.expect("node", "after an entry name");
  return name;
}

/** Reads `(` `type` T and, for leaves, the rest of the node; returns null for a directory. */
function readNodeHead(r: NarReader, depth: number): NarNode | null {
  r.expect("(", "at the start of a node");
  r.expect("type", "after '('");
  const typeAt = r.pos;
  const type = r.readString(64);
  switch (type) {
    case "regular": {
      const tagAt = r.pos;
      const tag = r.readString(64);
      let executable = false;
      if (tag === "executable") {
        const markerAt = r.pos;
        if (r.readBytes(64).length !== 0) r.fail("the 'executable' marker of a NAR file must be followed by an empty string", markerAt);
        executable = true;
        r.expect("contents", "after 'executable'");
      } else if (tag !== "contents") {
        r.fail(`expected 'executable' or 'contents' in a regular file, found '${printable(tag)}'`, tagAt);
      }
      const contents = r.readBytes();
      r.expect(")", "at the end of a regular file");
      return { type: "regular", executable, contents };
    }
    case "symlink": {
      r.expect("target", "in a symlink");
      const targetAt = r.pos;
      const target = r.readString();
      if (target.length === 0) r.fail("NAR symlink has an empty target", targetAt);
      if (target.includes("\0")) r.fail("NAR symlink target contains a NUL byte", targetAt);
      r.expect(")", "at the end of a symlink");
      return { type: "symlink", target };
    }
    case "directory":
      if (depth >= MAX_DEPTH) r.fail(`NAR nests directories more than ${MAX_DEPTH} levels deep`, typeAt);
      return null;
    default:
      r.fail(`unknown NAR node type '${printable(type)}'`, typeAt);
  }
}
