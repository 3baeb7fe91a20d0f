// Small synchronous I/O helpers for the store: sleeping without a busy loop, and draining a file
// descriptor (stdin, a pipe) chunk by chunk.

import * as fs from "node:fs";

// Created on first use: a SharedArrayBuffer cannot be part of tix's start-up snapshot.
let sleepCell: Int32Array | null = null;

/** Blocks the thread for `ms` milliseconds. */
export function sleepMs(ms: number): void {
  sleepCell ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleepCell, 0, 0, ms);
}

/**
 * Reads all of file descriptor `fd` (a pipe or file), handing each chunk to `onChunk` (the chunk's
 * memory is reused afterwards). Waits and retries when a non-blocking pipe has no data yet.
 */
export function readFdChunks(fd: number, onChunk: (chunk: Uint8Array) => void, chunkSize = 1024 * 1024): void {
  const buf = Buffer.allocUnsafe(chunkSize);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, chunkSize, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        sleepMs(2);
        continue;
      }
      if (code === "EOF") return;
      throw e;
    }
    if (n === 0) return;
    onChunk(buf.subarray(0, n));
  }
}

/** Reads all of `fd` into one buffer. */
export function readFdAll(fd: number): Buffer {
  const parts: Buffer[] = [];
  readFdChunks(fd, (c) => parts.push(Buffer.from(c)));
  return Buffer.concat(parts);
}
