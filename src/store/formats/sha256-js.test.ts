import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Sha256 } from "./sha256-js.js";
import { createHasher, hashBytes } from "./hash.js";

const viaCrypto = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Deterministic bytes, so a failure can be reproduced. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = x >>> 24;
  }
  return out;
}

test("JavaScript SHA-256 matches node:crypto at every length around the block and padding edges", () => {
  assert.equal(hex(new Sha256().digest()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (let n = 0; n <= 200; n++) {
    const data = bytes(n, n);
    assert.equal(hex(new Sha256().update(data).digest()), viaCrypto(data), `length ${n}`);
  }
  const big = bytes(100_003, 7);
  assert.equal(hex(new Sha256().update(big).digest()), viaCrypto(big));
});

test("JavaScript SHA-256 gives the same digest however the input is split into updates", () => {
  const data = bytes(1000, 42);
  for (const step of [1, 3, 63, 64, 65, 200]) {
    const h = new Sha256();
    for (let i = 0; i < data.length; i += step) h.update(data.subarray(i, i + step));
    assert.equal(hex(h.digest()), viaCrypto(data), `chunks of ${step}`);
  }
});

test("createHasher('sha256') is right below and above the size where it hands over to node:crypto", () => {
  for (const n of [0, 1000, 256 * 1024, 256 * 1024 + 1, 700_000]) {
    const data = bytes(n, n + 1);
    const h = createHasher("sha256");
    // Chunks whose memory is reused after each update, as NAR streaming does.
    // (a Buffer, whose slice() shares memory instead of copying)
    const chunk = Buffer.alloc(65536);
    for (let i = 0; i < n; i += chunk.length) {
      const len = Math.min(chunk.length, n - i);
      chunk.set(data.subarray(i, i + len));
      h.update(chunk.subarray(0, len));
      chunk.fill(0);
    }
    assert.equal(hex(h.digest().bytes), viaCrypto(data), `length ${n}`);
    assert.equal(hex(hashBytes("sha256", data).bytes), viaCrypto(data), `hashBytes, length ${n}`);
  }
});
