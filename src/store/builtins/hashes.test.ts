// convertHash (modern Nix; 2.8 lacks it): expectations hand-written from the spec.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "../../eval/value.js";
import { expectError, set, testEnv } from "../../eval/builtins/test-support.js";
import { register as hashes } from "./hashes.js";

const t = testEnv([hashes]);

test("convertHash converts between formats (modern)", () => {
  const hex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  const b64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
  const conv = (args: Record<string, Value>) => t.call("convertHash", set(args));
  assert.equal(conv({ hash: `sha256:${hex}`, toHashFormat: "sri" }), `sha256-${b64}`);
  assert.equal(conv({ hash: `sha256-${b64}`, toHashFormat: "base16" }), hex);
  assert.equal(conv({ hash: hex, hashAlgo: "sha256", toHashFormat: "base64" }), b64);
  const nix32 = conv({ hash: hex, hashAlgo: "sha256", toHashFormat: "nix32" }) as string;
  assert.equal(nix32.length, 52);
  assert.equal(conv({ hash: nix32, hashAlgo: "sha256", toHashFormat: "base16" }), hex);
  assert.equal(conv({ hash: `sha256:${nix32}`, toHashFormat: "base32" }), nix32);
  assert.ok(t.stderr.some((l) => l.includes('"base32" is a deprecated alias for hash format "nix32"')));
  expectError(() => conv({ hash: hex, toHashFormat: "sri" }), `hash '${hex}' does not include a type, nor is the type otherwise known from context`);
  expectError(() => conv({ hash: hex, hashAlgo: "sha256", toHashFormat: "hex" }), "unknown hash format 'hex', expect 'base16', 'base32', 'nix32', 'base64', or 'sri'");
  expectError(() => conv({ toHashFormat: "sri" }), "attribute 'hash' missing", [
    "while locating the attribute 'hash'",
    "while calling the 'convertHash' builtin",
  ]);
  expectError(() => conv({ hash: `md5:${hex}`, toHashFormat: "sri" }), /wrong length/);
});

