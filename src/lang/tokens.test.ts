// Tests of the token helpers: utf8Bytes encodes exactly as TextEncoder does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { utf8Bytes } from "./tokens.js";

function viaTextEncoder(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

test("utf8Bytes agrees with TextEncoder on every width and on lone surrogates", () => {
  const samples = ["", "plain ascii", "«string»", "'~/…' path", "␀", "\u0080\u07ff\u0800\uffff", "😀 x \u{10ffff}", "\ud800", "a\udc00b", "\ud83d", "\udbff\udfff"];
  for (const s of samples) assert.equal(utf8Bytes(s), viaTextEncoder(s), JSON.stringify(s));
  let all = "";
  for (let c = 0; c < 0x11000; c += 7) all += String.fromCharCode(c & 0xffff);
  assert.equal(utf8Bytes(all), viaTextEncoder(all));
});
