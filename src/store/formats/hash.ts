// Cryptographic hashes as Nix uses them: computing md5/sha1/sha256/sha512, and printing/parsing
// them as base-16, nix32, base-64, SRI (`sha256-…`) and `algo:`-prefixed strings.

import { createHash } from "node:crypto";
import { nix32Decode, nix32Encode, nix32EncodedLength, isNix32 } from "./base32.js";
import { FormatError } from "./errors.js";
import { Sha256 } from "./sha256-js.js";

export type HashAlgo = "md5" | "sha1" | "sha256" | "sha512";

/** How a hash is written: the encoding of the digest (SRI implies base-64 and an `algo-` prefix). */
export type HashFormat = "base16" | "nix32" | "base64" | "sri";

export interface Hash {
  readonly algo: HashAlgo;
  readonly bytes: Uint8Array;
}

export const HASH_ALGOS: readonly HashAlgo[] = ["md5", "sha1", "sha256", "sha512"];

export const HASH_SIZE: Readonly<Record<HashAlgo, number>> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

export function isHashAlgo(s: string): s is HashAlgo {
  return s === "md5" || s === "sha1" || s === "sha256" || s === "sha512";
}

export function parseHashAlgo(s: string): HashAlgo {
  if (isHashAlgo(s)) return s;
  throw new FormatError(`unknown hash algorithm '${s}'`);
}

/** Accepts Nix's format names; `base32` is the old name of `nix32`. */
export function parseHashFormat(s: string): HashFormat {
  switch (s) {
    case "base16":
    case "nix32":
    case "base64":
    case "sri":
      return s;
    case "base32":
      return "nix32";
    default:
      throw new FormatError(`unknown hash format '${s}', expected 'base16', 'nix32' (or 'base32'), 'base64' or 'sri'`);
  }
}

// ---------------------------------------------------------------------------------------------
// Computing

/** An incremental hasher; `update` may be called any number of times before `digest`. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Hash;
}

/**
 * Up to this many bytes, SHA-256 is computed in JavaScript (sha256-js.ts), so commands that hash
 * only small things (store paths, fingerprints, a small flake's source) never load node:crypto.
 */
const SMALL_SHA256 = 256 * 1024;

export function createHasher(algo: HashAlgo): Hasher {
  if (algo === "sha256") return new SmallFirstSha256();
  return cryptoHasher(algo);
}

function cryptoHasher(algo: HashAlgo): Hasher {
  const h = createHash(algo);
  return {
    update(chunk) {
      h.update(chunk);
    },
    digest() {
      return { algo, bytes: new Uint8Array(h.digest()) };
    },
  };
}

/**
 * SHA-256 in JavaScript when the whole input stays small; node:crypto once it grows past
 * SMALL_SHA256. Small inputs are only collected until the digest, so a large one is hashed once.
 */
class SmallFirstSha256 implements Hasher {
  // Copies (Buffer's slice would share memory): callers may reuse a chunk's memory.
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private large: Hasher | null = null;

  update(chunk: Uint8Array): void {
    if (this.large === null && this.pendingBytes + chunk.length > SMALL_SHA256) {
      this.large = cryptoHasher("sha256");
      for (const c of this.pending) this.large.update(c);
      this.pending = [];
    }
    if (this.large !== null) {
      this.large.update(chunk);
      return;
    }
    this.pending.push(new Uint8Array(chunk));
    this.pendingBytes += chunk.length;
  }

  digest(): Hash {
    if (this.large !== null) return this.large.digest();
    const js = new Sha256();
    for (const c of this.pending) js.update(c);
    return { algo: "sha256", bytes: js.digest() };
  }
}

export function hashBytes(algo: HashAlgo, data: Uint8Array): Hash {
  if (algo === "sha256" && data.length <= SMALL_SHA256) return { algo, bytes: new Sha256().update(data).digest() };
  return { algo, bytes: new Uint8Array(createHash(algo).update(data).digest()) };
}

/** Hash of a byte string (one char per byte, as the evaluator stores strings). */
export function hashByteString(algo: HashAlgo, s: string): Hash {
  return hashBytes(algo, Buffer.from(s, "latin1"));
}

export function hashEquals(a: Hash, b: Hash): boolean {
  return a.algo === b.algo && Buffer.compare(a.bytes, b.bytes) === 0;
}

// ---------------------------------------------------------------------------------------------
// Printing

export function hashToBase16(hash: Hash): string {
  return Buffer.from(hash.bytes.buffer, hash.bytes.byteOffset, hash.bytes.byteLength).toString("hex");
}

export function hashToNix32(hash: Hash): string {
  return nix32Encode(hash.bytes);
}

export function hashToBase64(hash: Hash): string {
  return Buffer.from(hash.bytes.buffer, hash.bytes.byteOffset, hash.bytes.byteLength).toString("base64");
}

/** `sha256-<base64>` */
export function hashToSri(hash: Hash): string {
  return `${hash.algo}-${hashToBase64(hash)}`;
}

/**
 * Prints `hash` in `format`. With `includeAlgo` the non-SRI forms get an `algo:` prefix
 * (`sha256:0mdq…`); SRI always carries its `algo-` prefix.
 */
export function printHash(hash: Hash, format: HashFormat, includeAlgo = false): string {
  let body: string;
  switch (format) {
    case "sri":
      return hashToSri(hash);
    case "base16":
      body = hashToBase16(hash);
      break;
    case "nix32":
      body = hashToNix32(hash);
      break;
    case "base64":
      body = hashToBase64(hash);
      break;
  }
  return includeAlgo ? `${hash.algo}:${body}` : body;
}

// ---------------------------------------------------------------------------------------------
// Parsing

export function base16Length(algo: HashAlgo): number {
  return HASH_SIZE[algo] * 2;
}
export function nix32Length(algo: HashAlgo): number {
  return nix32EncodedLength(HASH_SIZE[algo]);
}
export function base64Length(algo: HashAlgo): number {
  return Math.ceil(HASH_SIZE[algo] / 3) * 4;
}

const BASE16_RE = /^[0-9a-fA-F]*$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Which encoding an unprefixed digest of `algo` uses, judged by its length; null if none fits. */
export function detectHashEncoding(digest: string, algo: HashAlgo): Exclude<HashFormat, "sri"> | null {
  if (digest.length === base16Length(algo)) return "base16";
  if (digest.length === nix32Length(algo)) return "nix32";
  if (digest.length === base64Length(algo)) return "base64";
  return null;
}

/** Decodes an unprefixed digest of `algo` written in `encoding`, checking characters and size. */
export function decodeHashDigest(digest: string, algo: HashAlgo, encoding: Exclude<HashFormat, "sri">): Hash {
  const size = HASH_SIZE[algo];
  let bytes: Uint8Array;
  switch (encoding) {
    case "base16":
      if (digest.length !== size * 2 || !BASE16_RE.test(digest)) {
        throw new FormatError(`invalid base-16 hash '${digest}'`);
      }
      bytes = new Uint8Array(Buffer.from(digest, "hex"));
      break;
    case "nix32":
      if (digest.length !== nix32EncodedLength(size) || !isNix32(digest)) {
        throw new FormatError(`invalid base-32 hash '${digest}'`);
      }
      try {
        bytes = nix32Decode(digest);
      } catch {
        throw new FormatError(`invalid base-32 hash '${digest}'`);
      }
      break;
    case "base64": {
      const decoded = decodeBase64(digest);
      if (decoded === null || decoded.length !== size) {
        throw new FormatError(`invalid base-64 hash '${digest}'`);
      }
      bytes = decoded;
      break;
    }
  }
  return { algo, bytes };
}

/** Strict base-64 (standard alphabet, padding optional); null when malformed. */
function decodeBase64(s: string): Uint8Array | null {
  if (!BASE64_RE.test(s)) return null;
  const unpadded = s.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return null;
  if (s.length !== unpadded.length && s.length % 4 !== 0) return null;
  return new Uint8Array(Buffer.from(unpadded, "base64"));
}

/**
 * Parses a hash written in any of Nix's forms:
 * - `algo:digest` with the digest in base-16, nix32 or base-64 (chosen by its length),
 * - SRI `algo-base64`,
 * - a bare digest, when `expectedAlgo` says which algorithm it is.
 * When both the string and `expectedAlgo` name an algorithm they must agree.
 */
export function parseHash(text: string, expectedAlgo?: HashAlgo): Hash {
  const colon = text.indexOf(":");
  if (colon >= 0) {
    const algo = parseHashAlgo(text.slice(0, colon));
    checkExpectedAlgo(text, algo, expectedAlgo);
    return parseUnprefixed(text.slice(colon + 1), algo);
  }
  const dash = text.indexOf("-");
  if (dash >= 0) {
    const algo = parseHashAlgo(text.slice(0, dash));
    checkExpectedAlgo(text, algo, expectedAlgo);
    return parseSriDigest(text.slice(dash + 1), algo);
  }
  if (expectedAlgo === undefined) {
    throw new FormatError(`hash '${text}' does not include a type, nor is the type otherwise known from context`);
  }
  return parseUnprefixed(text, expectedAlgo);
}

/** Parses exactly an SRI hash (`sha256-…`). */
export function parseSriHash(text: string): Hash {
  const dash = text.indexOf("-");
  if (dash < 0) throw new FormatError(`hash '${text}' is not SRI`);
  return parseSriDigest(text.slice(dash + 1), parseHashAlgo(text.slice(0, dash)));
}

/** Parses a digest without prefix whose algorithm is known; the encoding is chosen by length. */
export function parseUnprefixed(digest: string, algo: HashAlgo): Hash {
  const encoding = detectHashEncoding(digest, algo);
  if (encoding === null) throw new FormatError(`hash '${digest}' has wrong length for hash type '${algo}'`);
  return decodeHashDigest(digest, algo, encoding);
}

function parseSriDigest(digest: string, algo: HashAlgo): Hash {
  const bytes = decodeBase64(digest);
  if (bytes === null || bytes.length !== HASH_SIZE[algo]) throw new FormatError(`invalid SRI hash '${digest}'`);
  return { algo, bytes };
}

function checkExpectedAlgo(text: string, algo: HashAlgo, expected: HashAlgo | undefined): void {
  if (expected !== undefined && expected !== algo) {
    throw new FormatError(`hash '${text}' should have type '${expected}'`);
  }
}
