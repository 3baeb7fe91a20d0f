// Tests for the URL dialect; 2.8 encodings as printed by `nix registry list` / `nix flake metadata`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeQuery, encodeQuery, parseUrl, percentDecode, renderUrl } from "./url.js";

test("URLs split into scheme, authority, raw path, decoded query and fragment", () => {
  const u = parseUrl("git+https://user:pw@github.com:8080/NixOS/nix%20x?ref=a%2Fb&x=1&x=2&flag#frag%20x");
  assert.equal(u.scheme, "git+https");
  assert.equal(u.authority, "user:pw@github.com:8080");
  assert.equal(u.path, "/NixOS/nix%20x");
  assert.deepEqual([...u.query], [["ref", "a/b"], ["x", "1"]]);
  assert.equal(u.fragment, "frag x");
  assert.equal(parseUrl("github:NixOS/nixpkgs").authority, undefined);
  assert.equal(parseUrl("file:///tmp/x").authority, "");
  assert.equal(parseUrl("file://").path, "/");
  assert.throws(() => parseUrl("path:/a b"), { message: "'path:/a b' is not a valid URL" });
  assert.throws(() => parseUrl("path:/ä"), { message: "'path:/ä' is not a valid URL" });
  assert.throws(() => parseUrl("git+file://localhost/x"), { message: "file:// URL 'git+file://localhost/x' has unexpected authority 'localhost'" });
});

test("query encoding in both styles", () => {
  const q = new Map([["narHash", "sha256-a/b+c="], ["ref", "refs/heads/x"], ["a b", "ü"]]);
  // 2.8: `/` escaped, sub-delimiters kept, lower-case hex (nix registry list, nix flake metadata).
  assert.equal(encodeQuery(q, "2.8"), "a%20b=%c3%bc&narHash=sha256-a%2fb+c=&ref=refs%2fheads%2fx");
  // modern: `:@/?` kept, the rest escaped in upper case.
  assert.equal(encodeQuery(q, "modern"), "a%20b=%C3%BC&narHash=sha256-a/b%2Bc%3D&ref=refs/heads/x");
  assert.deepEqual([...decodeQuery("a=1&b&=2&c=%2f&a=3")], [["a", "1"], ["", "2"], ["c", "/"]]);
  assert.equal(percentDecode("%C3%A9%2x+"), "é%2x+");
  assert.equal(renderUrl(parseUrl("https://x/y?b=2&a=1#f"), "modern"), "https://x/y?a=1&b=2#f");
});
