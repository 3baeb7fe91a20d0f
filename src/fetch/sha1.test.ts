// The JavaScript SHA-1 agrees with node:crypto at every padding boundary and on larger inputs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha1Hex } from "./sha1.js";

test("sha1Hex matches node:crypto", () => {
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70000]) {
    const data = Buffer.alloc(n);
    for (let i = 0; i < n; i++) data[i] = (i * 131 + n) & 0xff;
    assert.equal(sha1Hex(data), createHash("sha1").update(data).digest("hex"), `length ${n}`);
    const head = Buffer.from(`blob ${n}\0`);
    assert.equal(sha1Hex(head, data), createHash("sha1").update(head).update(data).digest("hex"), `blob of ${n}`);
  }
  assert.equal(sha1Hex(Buffer.from("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
});
