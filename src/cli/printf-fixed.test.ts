import { test } from "node:test";
import assert from "node:assert/strict";
import { printfFixed } from "./printf-fixed.js";

test("printfFixed rounds exact ties to even like C's printf, everything else like toFixed", () => {
  // Values from `printf '%.1f'` / `'%.2f'` / `'%.0f'` in a C program on glibc.
  assert.equal(printfFixed(1.25, 1), "1.2");
  assert.equal(printfFixed(1.75, 1), "1.8");
  assert.equal(printfFixed(0.25, 1), "0.2");
  assert.equal(printfFixed(1.35, 1), "1.4"); // 1.35 is slightly above 1.35 in binary: no tie
  assert.equal(printfFixed(0.125, 2), "0.12");
  assert.equal(printfFixed(0.375, 2), "0.38");
  assert.equal(printfFixed(2.5, 0), "2");
  assert.equal(printfFixed(3.5, 0), "4");
  assert.equal(printfFixed(1024, 1), "1024.0");
  assert.equal(printfFixed(1.2, 1), "1.2");
});
