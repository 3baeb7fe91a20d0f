// Reference scanning: finds which candidate store paths a tree mentions, by looking for the
// 32-character nix32 hash parts of their names in its NAR (file contents, names, symlink targets).

import { NIX32_ALPHABET, STORE_PATH_HASH_LENGTH, dumpPath, type NarNode, writeNar } from "./formats/index.js";

const HASH_LEN = STORE_PATH_HASH_LENGTH;

/** 1 for bytes of the nix32 alphabet. */
const IS_NIX32 = new Uint8Array(256);
for (const c of NIX32_ALPHABET) IS_NIX32[c.charCodeAt(0)] = 1;

/**
 * Incremental scanner: feed it the bytes of a NAR (or any data) in chunks; hashes spanning chunk
 * boundaries are found. Skips ahead past any byte outside the alphabet, so most data is touched
 * about once every 32 bytes.
 */
export class RefScanner {
  private readonly wanted: Map<string, string>;
  private readonly seen = new Set<string>();
  /** The last HASH_LEN - 1 bytes of the previous chunk. */
  private tail: Buffer = Buffer.alloc(0);

  /** `candidates` are store paths (`/nix/store/HASH-name`) or bare hash parts. */
  constructor(candidates: Iterable<string>) {
    this.wanted = new Map();
    for (const c of candidates) {
      const base = c.slice(c.lastIndexOf("/") + 1);
      this.wanted.set(base.slice(0, HASH_LEN), c);
    }
  }

  update(chunk: Uint8Array): void {
    if (this.wanted.size === this.seen.size || chunk.length === 0) return;
    const data = chunk;
    if (this.tail.length > 0) {
      // Only the seam needs the old bytes: scan tail + the head of this chunk separately.
      const seam = Buffer.concat([this.tail, chunk.subarray(0, HASH_LEN - 1)]);
      this.scan(seam);
    }
    this.scan(data);
    const keep = Math.min(HASH_LEN - 1, data.length);
    const fromChunk = Buffer.from(data.subarray(data.length - keep));
    this.tail = keep === HASH_LEN - 1 ? fromChunk : Buffer.concat([this.tail, fromChunk]).subarray(-(HASH_LEN - 1));
  }

  private scan(data: Uint8Array): void {
    const end = data.length - HASH_LEN;
    let i = 0;
    outer: while (i <= end) {
      // Check the window from its last byte backwards; a bad byte at j lets us skip past it.
      for (let j = i + HASH_LEN - 1; j >= i; j--) {
        if (IS_NIX32[data[j]!] === 0) {
          i = j + 1;
          continue outer;
        }
      }
      const hash = Buffer.from(data.buffer, data.byteOffset + i, HASH_LEN).toString("latin1");
      const path = this.wanted.get(hash);
      if (path !== undefined) this.seen.add(path);
      i++;
    }
  }

  /** The candidates found so far, sorted. */
  found(): string[] {
    return [...this.seen].sort();
  }
}

/**
 * Which of `candidates` (store paths) the file-system tree at `path`, or an in-memory tree, refers
 * to. Returns the found candidates, sorted.
 */
export function scanReferences(tree: string | Buffer | NarNode, candidates: Iterable<string>): string[] {
  const scanner = new RefScanner(candidates);
  if (typeof tree === "string" || Buffer.isBuffer(tree)) dumpPath(tree, (c) => scanner.update(c));
  else writeNar(tree, (c) => scanner.update(c));
  return scanner.found();
}
