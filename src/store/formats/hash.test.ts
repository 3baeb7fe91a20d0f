import { test } from "node:test";
import assert from "node:assert/strict";
import {
  hashByteString,
  hashBytes,
  hashToBase16,
  hashToBase64,
  hashToNix32,
  hashToSri,
  parseHash,
  parseHashFormat,
  parseSriHash,
  printHash,
  type Hash,
} from "./hash.js";

const helloHex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

test("sha256 of 'hello' prints in every form like `nix hash to-*` (Nix 2.8)", () => {
  const h = hashByteString("sha256", "hello");
  assert.equal(hashToBase16(h), helloHex);
  assert.equal(hashToNix32(h), "094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic");
  assert.equal(hashToBase64(h), "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
  assert.equal(hashToSri(h), "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
  assert.equal(printHash(h, "nix32", true), "sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic");
  assert.equal(printHash(h, "base16"), helloHex);
  assert.equal(printHash(h, "sri", true), "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
});

test("md5, sha1 and sha512 of 'a' match `nix hash to-*` output", () => {
  const a = Buffer.from("a");
  assert.equal(hashToBase64(hashBytes("md5", a)), "DMF1ucDxtqgxw5niaXcmYQ==");
  assert.equal(hashToNix32(hashBytes("md5", a)), "314rvnkqlrqcqsidpiq2wpbh8c");
  assert.equal(hashToNix32(hashBytes("sha1", a)), "p1kpcdzaxbmbkp0xbphzr9x5z8vy9xw6");
  assert.equal(
    hashToSri(hashBytes("sha512", a)),
    "sha512-H0D8ktokFpR1CXnubPWC8tXX0o4YM13gWrxU0FYOD1MChgxlK/CNVgJSql50IQVG82n7u86MEs/HlXsmUv6adQ==",
  );
  assert.equal(
    hashToNix32(hashBytes("sha512", a)),
    "1srmzjj4rxrbiyg2a6cxfzvd7rlc191figallh2as6z0av51j304lqg1rbd0m5wbbh5scqqiv9dgmgjhbsnrvkr15sr85i4va9gqh0z",
  );
});

test("parseHash accepts prefixed base16/nix32/base64, SRI and bare digests with a known algo", () => {
  const expected = hashByteString("sha256", "hello");
  const forms = [
    `sha256:${helloHex}`,
    `sha256:${helloHex.toUpperCase()}`,
    "sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic",
    "sha256:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=",
    "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=",
    "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ",
  ];
  for (const f of forms) assert.deepEqual(parseHash(f), expected, f);
  assert.deepEqual(parseHash(helloHex, "sha256"), expected);
  assert.deepEqual(parseHash("094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic", "sha256"), expected);
  assert.deepEqual(parseHash("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", "sha256"), expected);
  assert.deepEqual(parseSriHash("sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="), expected);
});

test("parseHash errors say what is wrong, with Nix's wording", () => {
  // Messages observed from `nix hash to-base16 …` with Nix 2.8.
  const cases: [() => Hash, string][] = [
    [() => parseHash("sha1:abc"), "hash 'abc' has wrong length for hash type 'sha1'"],
    [() => parseHash("zzz", "sha256"), "hash 'zzz' has wrong length for hash type 'sha256'"],
    [() => parseHash("sha256-AAA"), "invalid SRI hash 'AAA'"],
    [() => parseHash("sha256:abc", "md5"), "hash 'sha256:abc' should have type 'md5'"],
    [() => parseHash("foo:abc"), "unknown hash algorithm 'foo'"],
    [() => parseHash("SHA256:abc"), "unknown hash algorithm 'SHA256'"],
    [() => parseHash("abc"), "hash 'abc' does not include a type, nor is the type otherwise known from context"],
    [
      () => parseHash("sha256:gcf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
      "invalid base-16 hash 'gcf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'",
    ],
    [
      () => parseHash("sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"),
      "invalid base-32 hash 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'",
    ],
    [
      () => parseHash("sha256:z94qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"),
      "invalid base-32 hash 'z94qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic'",
    ],
    [
      () => parseHash("sha256:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmC!="),
      "invalid base-64 hash 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmC!='",
    ],
  ];
  for (const [f, message] of cases) assert.throws(f, { name: "FormatError", message });
});

test("hash format names include the old 'base32' for nix32", () => {
  assert.equal(parseHashFormat("base32"), "nix32");
  assert.equal(parseHashFormat("sri"), "sri");
  assert.throws(() => parseHashFormat("hex"), /unknown hash format 'hex'/);
});
