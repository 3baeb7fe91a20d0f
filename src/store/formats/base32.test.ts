import { test } from "node:test";
import assert from "node:assert/strict";
import { nix32Decode, nix32Encode, nix32EncodedLength } from "./base32.js";
import { FormatError } from "./errors.js";

// Vectors: `nix hash to-base32 --type sha256 <hex>` etc. with Nix 2.8.
const vectors: [string, string][] = [
  ["2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"],
  ["86f7e437faa5a7fce15d1ddcb9eaeaea377667b8", "p1kpcdzaxbmbkp0xbphzr9x5z8vy9xw6"],
  ["0cc175b9c0f1b6a831c399e269772661", "314rvnkqlrqcqsidpiq2wpbh8c"],
];

test("nix32 encoding matches Nix for md5, sha1 and sha256 digests", () => {
  for (const [hex, nix32] of vectors) {
    assert.equal(nix32Encode(Buffer.from(hex, "hex")), nix32);
    assert.equal(Buffer.from(nix32Decode(nix32)).toString("hex"), hex);
  }
});

test("nix32 lengths: 20 bytes is 32 chars, 32 bytes is 52 chars, nothing is empty", () => {
  assert.equal(nix32EncodedLength(20), 32);
  assert.equal(nix32EncodedLength(32), 52);
  assert.equal(nix32Encode(new Uint8Array()), "");
  assert.deepEqual(nix32Decode(""), new Uint8Array());
});

test("nix32 round-trips every byte value at every position", () => {
  for (let len = 1; len <= 21; len++) {
    const bytes = new Uint8Array(len).map((_, i) => (i * 37 + len * 11) & 0xff);
    assert.deepEqual(nix32Decode(nix32Encode(bytes)), bytes);
  }
});

test("nix32 decoding rejects characters outside the alphabet", () => {
  assert.throws(() => nix32Decode("094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwie"), (e: unknown) => {
    return e instanceof FormatError && /invalid character 'e' at position 51/.test(e.message);
  });
  assert.throws(() => nix32Decode("094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwiC"), /invalid character 'C'/);
});

test("nix32 decoding rejects leftover bits and impossible lengths", () => {
  // `nix hash to-base16 sha256:z94q…` fails in Nix: the first char may only carry 1 bit for 32 bytes.
  assert.throws(() => nix32Decode("z94qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"), /sets bits beyond the 32-byte value/);
  assert.throws(() => nix32Decode("294qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"), /sets bits beyond/);
  assert.doesNotThrow(() => nix32Decode("194qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"));
  assert.throws(() => nix32Decode("000"), /length 3 is not the encoding of a whole number of bytes/);
});
