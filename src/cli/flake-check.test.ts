// `tix flake check`'s verdicts and messages on bad outputs, as modern Nix gives them: overlays
// must be `final: …` lambdas, system names need a dash, templates an existing path, hydraJobs
// sets of derivations; `--keep-going` reports every failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { repo, tix, world } from "./flake-test-util.js";

const DRV = `derivation { name = "d"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ]; }`;

function flake(outputs: string): string {
  return `{\n  outputs = { self }: {\n${outputs}\n  };\n}\n`;
}

test("flake check accepts overlays whose first argument is final, _final or _, and apps with type and program", () => {
  const w = world();
  const f = repo(w, "good", {
    "flake.nix": flake(`
    overlays.a = final: prev: {};
    overlays.b = _final: prev: {};
    overlays.c = _: _: {};
    overlays.d = final: x: {};
    nixosModules.anything = 3;
    apps.x86_64-linux.a = { type = "app"; program = "/bin/sh"; meta.description = "a shell"; };
    packages.x86_64-linux-gnu.p = 1;
    hydraJobs.a.x86_64-linux = ${DRV};
    lib.x = 1;
    homeModules.x = 1;`),
  });
  const r = tix(w, f, ["flake", "check", "--no-build"]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /unknown flake output/);
  assert.match(r.stderr, /The check omitted these incompatible systems: x86_64-linux-gnu/);
});

test("flake check: an overlay not named final fails, with the output and overlay in the trace", () => {
  const w = world();
  const f = repo(w, "named", { "flake.nix": flake(`    overlays.default = self: super: {};`) });
  const r = tix(w, f, ["flake", "check", "--no-build"]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /… while checking flake output 'overlays'\n\s+at \/nix\/store\/[0-9a-z]{32}-source\/flake\.nix:3:5:/);
  assert.match(r.stderr, /… while checking the overlay 'overlays\.default'/);
  assert.match(r.stderr, /\n\s+error: overlay does not take an argument named 'final'\n/);
});

test("flake check --keep-going reports each bad output, then fails", () => {
  const w = world();
  const f = repo(w, "bad", {
    "flake.nix": flake(`
    overlays.num = 3;
    overlays.prim = builtins.add;
    overlays.formals = { final, ... }: prev: {};
    packages.foo.p = ${DRV};
    packages.x86_64-linux.p = 5;
    apps.x86_64-linux.noprog = { type = "app"; };
    apps.x86_64-linux.extra = { type = "app"; program = "/bin/sh"; x = 1; };
    templates.missing = { path = ./nope; description = "d"; };
    templates.nodesc = { path = ./.; };
    hydraJobs.b.c = 3;
    nixosConfigurations.c = {};
    bundlers.x86_64-linux.b = 3;`),
  });
  const r = tix(w, f, ["flake", "check", "--no-build", "--keep-going"]);
  assert.equal(r.status, 1, r.stderr);
  const errors = r.stderr.split("\n").filter((l) => /^\s*error: ./.test(l)).map((l) => l.trim().replace(/\/nix\/store\/[0-9a-z]{32}-/, "/nix/store/HASH-"));
  assert.deepEqual(errors, [
    "error: app 'apps.x86_64-linux.extra' has unsupported attribute 'x'",
    "error: app 'apps.x86_64-linux.noprog' lacks attribute 'program'",
    "error: bundler must be a function",
    "error: expected a set but found an integer: 3",
    "error: attribute 'config' in selection path 'config.system.build.toplevel' not found",
    "error: overlay does not take an argument named 'final'",
    "error: overlay is not a function, but an integer instead",
    "error: overlay is not a function, but the built-in function 'add' instead",
    "error: 'foo' is not a valid system type, at /nix/store/HASH-source/flake.nix:7:5",
    "error: flake attribute 'packages.x86_64-linux.p' is not a derivation",
    "error: template 'templates.missing' refers to a non-existent path '/nix/store/HASH-source/nope'",
    "error: template 'templates.nodesc' lacks attribute 'description'",
    "error: some errors were encountered during the evaluation",
  ]);
  // Each failure is reported as an error of its own (with its trace), as modern Nix does.
  assert.equal(r.stderr.split("\n").filter((l) => l.startsWith("error:")).length, errors.length);
  assert.match(r.stderr, /warning: app 'apps\.x86_64-linux\.extra' lacks attribute 'meta'/);
});
