// flake.nix's `description`, `inputs` and `outputs` must be written out: Nix forces attribute
// sets, lists and functions but refuses any other unevaluated expression there ("expected a set
// but got a thunk at …"), and words type errors as "expected a string but got an integer at …".
// Messages recorded from Nix 2.8 (modern Nix words them the same); flake.lock is never written.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { repo, tix, world } from "./flake-test-util.js";

const CASES: [string, string][] = [
  ["{ inputs = let x = {}; in x; outputs = { self }: {}; }", "expected a set but got a thunk at @:1:3"],
  ["{ inputs = 3; outputs = { self }: {}; }", "expected a set but got an integer at @:1:3"],
  ["{ inputs.a = 3; outputs = { self, a }: {}; }", "expected a set but got an integer at @:1:3"],
  ["{ inputs.a.url = 3; outputs = { self, a }: {}; }", "expected a string but got an integer at @:1:3"],
  ['{ inputs.a.url = "path:/x" + "y"; outputs = { self, a }: {}; }', "expected a string but got a thunk at @:1:3"],
  ["{ inputs.a.flake = !true; outputs = { self, a }: {}; }", "expected a Boolean but got a thunk at @:1:3"],
  ["{ inputs.a.follows = 3; outputs = { self, a }: {}; }", "expected a string but got an integer at @:1:3"],
  [
    '{ inputs.a = { url = "path:/x"; rev = builtins.head [ "x" ]; }; outputs = { self, a }: {}; }',
    "flake input attribute 'rev' is a thunk while a string, Boolean, or integer is expected",
  ],
  ['{ description = "a" + "b"; outputs = { self }: {}; }', "expected a string but got a thunk at @:1:3"],
  ["{ description = 3; outputs = { self }: {}; }", "expected a string but got an integer at @:1:3"],
  ["{ outputs = 3; }", "expected a function but got an integer at @:1:3"],
  ["{ outputs = import ./outputs.nix; }", "expected a function but got a thunk at @:1:3"],
  ["{ outputs = { __functor = s: x: {}; }; }", "expected a function but got a set at @:1:3"],
  ["{ nixConfig = let x = {}; in x; outputs = { self }: {}; }", "expected a set but got a thunk at @:1:3"],
  ["{ nixConfig = 3; outputs = { self }: {}; }", "expected a set but got an integer at @:1:3"],
];

test("flake.nix attributes that are not written out, or of the wrong type, fail with Nix's messages", () => {
  const w = world();
  CASES.forEach(([text, message], i) => {
    const f = repo(w, `f${i}`, { "flake.nix": `${text}\n`, "outputs.nix": "{ self }: {}\n" });
    const r = tix(w, f, ["flake", "metadata"]);
    assert.equal(r.status, 1, `${text}: ${r.stderr}`);
    const flakeFile = /\/nix\/store\/[0-9a-z]{32}-source\/flake\.nix/.exec(r.stderr)?.[0] ?? "(no flake.nix position)";
    assert.equal(r.stderr, `error: ${message.replace("@", flakeFile)}\n`, text);
    assert.ok(!fs.existsSync(path.join(f, "flake.lock")), text);
  });
});

test("a nixConfig setting that is not written out fails as in Nix", () => {
  const w = world();
  const f = repo(w, "cfg", { "flake.nix": '{ nixConfig.foo = "a" + "b"; outputs = { self }: {}; }\n' });
  const r = tix(w, f, ["flake", "metadata"]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^error: flake configuration setting 'foo' is a thunk\n/);
});

test("flake.nix attributes written out as sets, lists, functions, variables and plain strings are accepted", () => {
  const w = world();
  const text = `{
  description = ''an indented string'';
  inputs = { a = { url = "path:/nonexistent"; flake = false; }; };
  outputs = { self, ... }: { x = 1; };
}
`;
  const f = repo(w, "ok", { "flake.nix": text });
  const r = tix(w, f, ["flake", "metadata", "--no-write-lock-file"]);
  // The input does not exist: the flake.nix was read and locking started.
  assert.match(r.stderr, /nonexistent/);
  assert.doesNotMatch(r.stderr, /expected a/);
});

test("a flake reference naming the flake.nix file itself is taken as its directory, with Nix's warning", () => {
  const w = world();
  const f = repo(w, "pointed", { "flake.nix": "{ outputs = { self }: { }; }\n" });
  const r = tix(w, w.root, ["flake", "metadata", path.join(f, "flake.nix")]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(
    r.stderr.startsWith(`warning: Path '${path.join(f, "flake.nix")}' should point at the directory containing the 'flake.nix' file, not the file itself. Pretending that you meant '${f}'\n`),
    r.stderr,
  );
});
