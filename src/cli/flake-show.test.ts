// `tix flake show` on outputs that fail to evaluate: the error names the output attribute, and
// the outputs' root (which is not an attribute) adds no "attribute ''" frame.
import { test } from "node:test";
import assert from "node:assert/strict";
import { repo, tix, world } from "./flake-test-util.js";

test("flake show: a throwing output fails with the attribute's trace, none for the root", () => {
  const w = world();
  const f = repo(w, "throws", { "flake.nix": `{\n  outputs = { self }: {\n    packages.x86_64-linux.a = throw "boom";\n  };\n}\n` });
  const r = tix(w, f, ["flake", "show"]);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /attribute ''/);
  assert.match(r.stderr, /^error:\n\s+… while evaluating the flake output attribute 'packages'\n/);
  assert.match(r.stderr, /… while evaluating the flake output attribute 'packages\.x86_64-linux\.a'\n/);
  assert.match(r.stderr, /\n\s+error: boom\n/);
});
