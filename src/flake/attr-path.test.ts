// Tests for attribute-path splitting; behaviour observed with `nix eval` (Nix 2.8), see below.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAttrPath, showAttrPath } from "./attr-path.js";

// Behaviour checked with `nix eval 'path:/tmp/fx/lk/q#<fragment>'` (Nix 2.8) on a flake whose outputs
// are { "a.b" = 1; x = { "y z" = 2; "q\"r" = 5; }; "é" = 3; "a%b" = 4; c = { d = 6; }; "" = 7; }:
// `c..d` looked up "" inside c, `c.d.` gave 6, `.c` looked up "" first, `""` gave the whole outputs.
test("attribute paths split like Nix's", () => {
  const cases: [string, string[]][] = [
    ['"a.b"', ["a.b"]],
    ['x."y z"', ["x", "y z"]],
    ["x.y z", ["x", "y z"]],
    ["c.d", ["c", "d"]],
    ["c..d", ["c", "", "d"]],
    ["c.d.", ["c", "d"]],
    [".c", ["", "c"]],
    ['""', []],
    ["", []],
    ['a."b"c.d', ["a", "bc", "d"]],
    ["é", ["é"]],
  ];
  for (const [s, path] of cases) assert.deepEqual(parseAttrPath(s), path, s);
  assert.throws(() => parseAttrPath('x."y z'), { message: `missing closing quote in selection path 'x."y z'` });
  assert.throws(() => parseAttrPath('x.q"r'), { message: `missing closing quote in selection path 'x.q"r'` });
});

test("attribute paths print back with quotes where needed", () => {
  assert.equal(showAttrPath(["packages", "x86_64-linux", "a.b"]), 'packages.x86_64-linux."a.b"');
  assert.equal(showAttrPath(["", "y z"]), '""."y z"');
  assert.deepEqual(parseAttrPath(showAttrPath(["a.b", "c", "d e"])), ["a.b", "c", "d e"]);
});
