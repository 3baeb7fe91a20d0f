import { test } from "node:test";
import assert from "node:assert/strict";
import { quickDigest } from "./quick-digest.js";

test("quickDigest: 16 hex digits, the same for the same text, different for near neighbours", () => {
  const base = "HOME=/home/me\0TIX_SYSTEM=x86_64-linux\0";
  assert.match(quickDigest(base), /^[0-9a-f]{16}$/);
  assert.equal(quickDigest(base), quickDigest(base.slice(0, 5) + base.slice(5)));
  // Every text one replaced or inserted character away (and a few short ones): no collisions.
  const texts = new Set([base, "", "\0", "a"]);
  for (let i = 0; i <= base.length; i++) {
    for (const c of ["a", "\0", "é", "\u{1F600}"]) {
      texts.add(base.slice(0, i) + c + base.slice(i + 1));
      texts.add(base.slice(0, i) + c + base.slice(i));
    }
  }
  assert.equal(new Set([...texts].map(quickDigest)).size, texts.size);
});
