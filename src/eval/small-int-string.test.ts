import { test } from "node:test";
import assert from "node:assert/strict";
import { smallIntString } from "./small-int-string.js";

test("smallIntString matches String() around every digit-count boundary and outside its range", () => {
  const samples = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 4096, 9999, 10000, 65535, 99999, 100000, 123456, 999999, 1000000, 1234567, 2 ** 53 - 1, -1, -10, -999999, 0.5];
  for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 1000000));
  for (const n of samples) assert.equal(smallIntString(n), String(n), `for ${n}`);
});
