// A 64-bit digest of a string, cheap enough for the start of a command: SHA-256 in JavaScript
// cost the fast `flake show` answer several milliseconds before V8 had optimised it, and
// node:crypto ~10 ms to load. Not for adversaries: it tells apart the texts one user's runs
// produce (command lines, environments), where two different ones collide with probability ~2^-64.

/** Two independent 32-bit multiply-xorshift lanes over the UTF-16 code units, as 16 hex digits. */
export function quickDigest(text: string): string {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x5bd1e995);
    a ^= a >>> 15;
    b = Math.imul(b ^ c, 0x27d4eb2f);
    b ^= b >>> 13;
  }
  // Final mixing, so that every input bit reaches every output bit of both lanes.
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ b;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35) ^ a;
  a = Math.imul(a ^ (a >>> 16), 0x27d4eb2f);
  b = Math.imul(b ^ (b >>> 16), 0x165667b1);
  return hex32(a) + hex32(b);
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}
