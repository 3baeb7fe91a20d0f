// Tests for Nix-style JSON text; escapes as in testdata/lock-escapes.json (Nix 2.8).

import { test } from "node:test";
import assert from "node:assert/strict";
import { compareCodePoints, dumpJson, jsonString } from "./json.js";

test("strings are escaped like Nix's JSON writer", () => {
  // From testdata/lock-escapes.json (Nix 2.8): tab as \t, U+001F as \u001f, DEL raw, non-ASCII raw.
  assert.equal(jsonString("t\tab\x1fx\x7fy/z"), '"t\\tab\\u001fx\x7fy/z"');
  assert.equal(jsonString('w ü "q" \\ é'), '"w ü \\"q\\" \\\\ é"');
  assert.equal(jsonString("\b\f\n\r\x00"), '"\\b\\f\\n\\r\\u0000"');
});

test("objects are sorted by code point and indented by two spaces", () => {
  assert.equal(
    dumpJson({ b: 1, a: [true, null, "x"], c: {}, d: [], "é": 2, Z: { y: 1 } }),
    '{\n  "Z": {\n    "y": 1\n  },\n  "a": [\n    true,\n    null,\n    "x"\n  ],\n  "b": 1,\n  "c": {},\n  "d": [],\n  "é": 2\n}',
  );
  assert.equal(dumpJson({ b: 1, a: [1, 2] }, -1), '{"a":[1,2],"b":1}');
  // U+FFFF sorts before U+10000 in UTF-8 byte order (not in UTF-16 order).
  assert.ok(compareCodePoints("\uffff", "\u{10000}") < 0);
  assert.ok("\uffff" > "\u{10000}");
});
