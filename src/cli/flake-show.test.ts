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

test("flake show: outputs that must be attribute sets, and templates without a string description, fail as in Nix", () => {
  const w = world();
  const cases: [string, string][] = [
    ["checks.x86_64-linux = 3;", "'checks.x86_64-linux' is not an attribute set"],
    ["packages = 3;", "'packages' is not an attribute set"],
    ["hydraJobs.a = 3;", "'hydraJobs.a' is not an attribute set"],
    ["templates.t = { path = ./.; };", "attribute 'templates.t.description' does not exist"],
    ["templates.t = { path = ./.; description = 3; };", "'templates.t.description' is not a string but an integer"],
  ];
  cases.forEach(([outputs, message], i) => {
    const f = repo(w, `bad${i}`, { "flake.nix": `{ outputs = { self }: { ${outputs} }; }\n` });
    const r = tix(w, f, ["flake", "show"]);
    assert.equal(r.status, 1, `${outputs}: ${r.stderr}`);
    assert.ok(r.stderr.endsWith(`error: ${message}\n`), `${outputs}: ${r.stderr}`);
  });
  // Errors in legacyPackages are left out, as in Nix: the system's line stays, empty.
  const legacy = repo(w, "legacy", { "flake.nix": `{ outputs = { self }: { legacyPackages.x86_64-linux = 3; }; }\n` });
  const r = tix(w, legacy, ["flake", "show", "--legacy"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\n└───legacyPackages\n    └───x86_64-linux\n$/);
});
