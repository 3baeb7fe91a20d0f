// Nix's base-32 ("nix32"): alphabet without e, o, u, t; the encoding reads the bytes from the end,
// five bits at a time, so it is not RFC 4648 base-32.

import { FormatError } from "./errors.js";

export const NIX32_ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

const DIGIT_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < NIX32_ALPHABET.length; i++) DIGIT_OF[NIX32_ALPHABET.charCodeAt(i)] = i;

/** Number of characters needed to encode `byteLength` bytes. */
export function nix32EncodedLength(byteLength: number): number {
  return byteLength === 0 ? 0 : Math.floor((byteLength * 8 - 1) / 5) + 1;
}

/** Number of bytes a valid string of `charLength` characters decodes to. */
export function nix32DecodedLength(charLength: number): number {
  return Math.floor((charLength * 5) / 8);
}

export function nix32Encode(bytes: Uint8Array): string {
  const len = nix32EncodedLength(bytes.length);
  const last = bytes.length - 1;
  let out = "";
  // The first output character holds the most significant bits of the last byte.
  for (let n = len - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    const c = (bytes[i]! >> j) | (i < last ? bytes[i + 1]! << (8 - j) : 0);
    out += NIX32_ALPHABET[c & 0x1f];
  }
  return out;
}

/** True when `s` only uses the nix32 alphabet (says nothing about its length). */
export function isNix32(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const code = s.charCodeAt(k);
    if (code >= 128 || DIGIT_OF[code]! < 0) return false;
  }
  return true;
}

/**
 * Decodes a nix32 string. Throws a FormatError for characters outside the alphabet, for a length
 * that no byte count encodes to, and for set bits beyond the last byte.
 */
export function nix32Decode(s: string): Uint8Array {
  const size = nix32DecodedLength(s.length);
  if (nix32EncodedLength(size) !== s.length) {
    throw new FormatError(`invalid base-32 string '${s}': length ${s.length} is not the encoding of a whole number of bytes`);
  }
  const bytes = new Uint8Array(size);
  for (let n = 0; n < s.length; n++) {
    const pos = s.length - n - 1;
    const code = s.charCodeAt(pos);
    const digit = code < 128 ? DIGIT_OF[code]! : -1;
    if (digit < 0) {
      throw new FormatError(`invalid character '${s[pos]}' at position ${pos} in base-32 string '${s}'`, pos);
    }
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    bytes[i]! |= (digit << j) & 0xff;
    const carry = digit >> (8 - j);
    if (i + 1 < size) {
      bytes[i + 1]! |= carry;
    } else if (carry !== 0) {
      throw new FormatError(`invalid base-32 string '${s}': its first character '${s[0]}' sets bits beyond the ${size}-byte value`, 0);
    }
  }
  return bytes;
}
