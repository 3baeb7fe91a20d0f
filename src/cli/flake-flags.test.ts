// The later flake features through bin/tix: `nixConfig` trust (against Nix 2.8's warnings),
// `flake check` building the checks, `--inputs-from` (lock files byte-identical to Nix 2.8's),
// and modern Nix's `--reference-lock-file` / `--output-lock-file`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { hasNix } from "../store/test-util.js";
import { canBuild } from "../build/build-fixtures.js";
import { commitFile, git, lockOf, nix, ok, repo, tix, warningsAbout, world, type World } from "./flake-test-util.js";

const withNix = hasNix() ? false : "Nix is not installed";

/** A root flake whose `nixConfig` mixes always-allowed and untrusted settings, and a dirty input. */
function configFixture(w: World): { top: string; dep: string } {
  const dep = repo(w, "dep", { "flake.nix": `{ outputs = _: { v = "dep"; }; }\n` });
  fs.appendFileSync(path.join(dep, "flake.nix"), "# dirty\n");
  const top = repo(w, "top", {
    "flake.nix": `{
  nixConfig = {
    bash-prompt = "tix> ";
    extra-substituters = [ "http://a.invalid" "http://b.invalid" ];
    allow-dirty = false;
    foo-bar = 3;
    sandbox = false;
  };
  inputs.dep.url = "git+file://${w.root}/dep";
  outputs = { self, dep }: { v = dep.v; };
}
`,
  });
  return { top, dep };
}

test("nixConfig: untrusted settings are ignored with Nix 2.8's warnings, in the same commands", { skip: withNix }, () => {
  const w = world();
  const { top } = configFixture(w);
  const cases: [string[], string[]][] = [
    [["eval", "--raw", ".#v"], ["eval", "--raw", ".#v"]],
    [["flake", "lock"], ["flake", "lock"]],
    [["flake", "metadata"], ["flake", "metadata"]],
    [["flake", "check", "--no-build"], ["flake", "check", "--no-build"]],
  ];
  for (const [nixArgs, tixArgs] of cases) {
    const n = nix(w, top, nixArgs);
    const t = tix(w, top, tixArgs);
    assert.equal(t.status, n.status, `${tixArgs.join(" ")}: ${t.stderr}`);
    assert.deepEqual(warningsAbout(t.stderr, "flake configuration"), warningsAbout(n.stderr, "flake configuration"), tixArgs.join(" "));
  }
  const t = tix(w, top, ["eval", "--raw", ".#v"]);
  assert.deepEqual(warningsAbout(t.stderr, "flake configuration"), [
    "warning: ignoring untrusted flake configuration setting 'allow-dirty'",
    "warning: ignoring untrusted flake configuration setting 'extra-substituters'",
    "warning: ignoring untrusted flake configuration setting 'foo-bar'",
    "warning: ignoring untrusted flake configuration setting 'sandbox'",
  ]);
  assert.equal(t.stdout, "dep");
});

test("nixConfig: --accept-flake-config (or the setting) applies them: allow-dirty = false refuses the dirty input", () => {
  const w = world();
  const { top } = configFixture(w);
  for (const flags of [["--accept-flake-config"], ["--option", "accept-flake-config", "true"]]) {
    const r = tix(w, top, ["eval", "--raw", ".#v", ...flags]);
    assert.notEqual(r.status, 0);
    assert.deepEqual(warningsAbout(r.stderr, "flake configuration"), []);
    assert.match(r.stderr, /Git tree '.*\/dep' is dirty/);
    assert.ok(!fs.existsSync(path.join(top, "flake.lock")), "no lock file written on failure");
  }
  const viaEnv = tix(w, top, ["eval", "--raw", ".#v"], { NIX_CONFIG: `${w.env["NIX_CONFIG"]}\naccept-flake-config = true` });
  assert.notEqual(viaEnv.status, 0);
  assert.match(viaEnv.stderr, /Git tree '.*\/dep' is dirty/);
  // flake metadata does not apply nixConfig (as in Nix 2.8), so the dirty input is only a warning.
  ok(tix(w, top, ["flake", "metadata", "--accept-flake-config"]), "metadata");
});

test("nixConfig: a value saved as trusted in trusted-settings.json is applied, with Nix's notice", () => {
  const w = world();
  const { top } = configFixture(w);
  const file = path.join(w.env["XDG_DATA_HOME"]!, "nix", "trusted-settings.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ "allow-dirty": { false: true }, "foo-bar": { "3": false } }));
  const r = tix(w, top, ["eval", "--raw", ".#v"]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /warning: Using saved setting for 'allow-dirty = false' from ~\/\.local\/share\/nix\/trusted-settings\.json\./);
  assert.match(r.stderr, /warning: ignoring untrusted flake configuration setting 'foo-bar'/);
  assert.match(r.stderr, /Git tree '.*\/dep' is dirty/);
});

test("flake check builds checks.<system>.*: a failing check fails the command; --no-build only evaluates", { skip: canBuild() ? false : "needs root, bubblewrap and busybox" }, () => {
  const w = world();
  const drv = (name: string, script: string): string =>
    `derivation { name = "${name}"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" ${JSON.stringify(script)} ]; }`;
  const f = repo(w, "chk", {
    "flake.nix": `{ outputs = _: { checks.x86_64-linux = { good = ${drv("good", "echo fine > $out")}; }; }; }\n`,
  });
  const passed = tix(w, f, ["flake", "check"]);
  assert.equal(passed.status, 0, passed.stderr);
  assert.match(passed.stderr, /building '.*-good\.drv'/);
  commitFile(w, f, "flake.nix", `{ outputs = _: { checks.x86_64-linux = { good = ${drv("good", "echo fine > $out")}; bad = ${drv("bad", "echo failing; exit 3")}; }; checks.aarch64-linux.other = ${drv("other", "exit 1")}; }; }\n`);
  const failed = tix(w, f, ["flake", "check"]);
  assert.equal(failed.status, 100, failed.stderr);
  assert.match(failed.stderr, /error: builder for '.*-bad\.drv' failed with exit code 3;/);
  assert.match(failed.stderr, /> failing/);
  assert.match(failed.stderr, /The check omitted these incompatible systems: aarch64-linux/);
  const noBuild = tix(w, f, ["flake", "check", "--no-build"]);
  assert.equal(noBuild.status, 0, noBuild.stderr);
  assert.doesNotMatch(noBuild.stderr, /building/);
});

test("--inputs-from: indirect inputs resolve to the other flake's locked inputs; lock file identical to Nix's", { skip: withNix }, () => {
  const w = world();
  repo(w, "dep", { "flake.nix": `{ outputs = _: { v = "dep"; }; }\n` });
  repo(w, "lib", { "flake.nix": `{ outputs = _: { v = "lib"; }; }\n` });
  const source = repo(w, "source", {
    "flake.nix": `{ inputs.dep.url = "git+file://${w.root}/dep"; inputs.lib.url = "git+file://${w.root}/lib"; inputs.lib2.follows = "lib"; outputs = _: {}; }\n`,
  });
  ok(tix(w, source, ["flake", "lock"]), "lock source");
  git(w, source, "add", "flake.lock");
  git(w, source, "commit", "-qm", "lock");
  const top = repo(w, "top", {
    "flake.nix": `{ inputs.dep.url = "dep"; inputs.l.url = "flake:lib2"; outputs = { self, dep, l }: { v = dep.v + l.v; }; }\n`,
  });
  const head = git(w, top, "rev-parse", "HEAD").trim();
  ok(nix(w, top, ["flake", "lock", "--inputs-from", `git+file://${source}`]), "nix lock");
  const nixLock = lockOf(top);
  git(w, top, "reset", "-q", "--hard", head);
  git(w, top, "clean", "-qfdx");
  for (const cmd of [["flake", "lock"], ["flake", "update"], ["eval", "--raw", ".#v"], ["build", "--dry-run", ".#v"]]) {
    fs.rmSync(path.join(top, "flake.lock"), { force: true });
    const r = tix(w, top, [...cmd, "--inputs-from", `git+file://${source}`]);
    if (cmd[0] === "build") {
      assert.ok(fs.existsSync(path.join(top, "flake.lock")), r.stderr);
    } else ok(r, cmd.join(" "));
    if (cmd[0] === "eval") assert.equal(r.stdout, "deplib");
    assert.equal(lockOf(top), nixLock, cmd.join(" "));
  }
  // Without it, 'dep' is unknown to the (empty) registries.
  fs.rmSync(path.join(top, "flake.lock"));
  const r = tix(w, top, ["flake", "lock"]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot find flake 'flake:dep' in the flake registries/);
  assert.ok(!fs.existsSync(path.join(top, "flake.lock")));
});

test("--output-lock-file writes elsewhere and leaves flake.lock alone; --reference-lock-file starts from another lock", () => {
  const w = world();
  const dep = repo(w, "dep", { "flake.nix": `{ outputs = _: { v = "one"; }; }\n` });
  const top = repo(w, "top", { "flake.nix": `{ inputs.dep.url = "git+file://${w.root}/dep"; outputs = { self, dep }: { v = dep.v; }; }\n` });
  const out1 = path.join(w.root, "out1.lock");
  const r1 = tix(w, top, ["flake", "lock", "--output-lock-file", out1]);
  ok(r1, "lock to out1");
  assert.doesNotMatch(r1.stderr, /creating lock file/);
  assert.ok(!fs.existsSync(path.join(top, "flake.lock")), "flake.lock not created");
  assert.match(fs.readFileSync(out1, "utf8"), /"version": 7\n}\n$/);

  // The same lock written the normal way is byte-identical.
  ok(tix(w, top, ["flake", "lock"]), "lock");
  assert.equal(lockOf(top), fs.readFileSync(out1, "utf8"));
  git(w, top, "add", "flake.lock");
  git(w, top, "commit", "-qm", "lock");

  // A new commit in dep: updating into another file leaves flake.lock as it was.
  commitFile(w, dep, "flake.nix", `{ outputs = _: { v = "two"; }; }\n`);
  const before = lockOf(top);
  const out2 = path.join(w.root, "out2.lock");
  ok(tix(w, top, ["flake", "update", "--output-lock-file", out2]), "update to out2");
  assert.equal(lockOf(top), before);
  assert.notEqual(fs.readFileSync(out2, "utf8"), before);
  // Even an unchanged lock file is written to the output file (as modern Nix does).
  const out3 = path.join(w.root, "out3.lock");
  ok(tix(w, top, ["flake", "lock", "--output-lock-file", out3]), "unchanged lock to out3");
  assert.equal(fs.readFileSync(out3, "utf8"), before);

  // Starting from out2 (the newer dep), evaluation sees "two" while flake.lock still pins "one".
  assert.equal(ok(tix(w, top, ["eval", "--raw", ".#v", "--reference-lock-file", out2, "--no-write-lock-file"]), "eval ref"), "two");
  assert.equal(ok(tix(w, top, ["eval", "--raw", ".#v"]), "eval"), "one");
  const out4 = path.join(w.root, "out4.lock");
  ok(tix(w, top, ["flake", "lock", "--reference-lock-file", out2, "--output-lock-file", out4]), "ref to out4");
  assert.equal(fs.readFileSync(out4, "utf8"), fs.readFileSync(out2, "utf8"));
  // Like Nix, "changed" means changed against the reference: an up-to-date reference writes nothing.
  ok(tix(w, top, ["flake", "lock", "--reference-lock-file", out2]), "ref, unchanged");
  assert.equal(lockOf(top), before);
  // A change against the reference goes to flake.lock, with the diff against the reference.
  const partial = path.join(w.root, "partial.lock");
  fs.writeFileSync(partial, `{\n  "nodes": {\n    "root": {}\n  },\n  "root": "root",\n  "version": 7\n}\n`);
  const added = tix(w, top, ["flake", "lock", "--reference-lock-file", partial]);
  ok(added, "ref, added input");
  assert.match(added.stderr, /warning: updating lock file '.*\/top\/flake\.lock':\n• Added input 'dep':/);
  assert.equal(lockOf(top), fs.readFileSync(out2, "utf8"));
  git(w, top, "checkout", "-q", "flake.lock");

  // Bad input: clear errors, flake.lock untouched.
  const missing = tix(w, top, ["flake", "lock", "--reference-lock-file", path.join(w.root, "nope.lock")]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /cannot read the reference lock file '.*nope\.lock': it does not exist/);
  fs.writeFileSync(path.join(w.root, "corrupt.lock"), "{ not json");
  const corrupt = tix(w, top, ["flake", "lock", "--reference-lock-file", path.join(w.root, "corrupt.lock")]);
  assert.notEqual(corrupt.status, 0);
  assert.match(corrupt.stderr, /corrupt\.lock/);
  const both = tix(w, top, ["flake", "update", "--commit-lock-file", "--output-lock-file", path.join(w.root, "o5.lock")]);
  assert.notEqual(both.status, 0);
  assert.match(both.stderr, /'--commit-lock-file' and '--output-lock-file' are incompatible/);
  const noDir = tix(w, top, ["flake", "lock", "--output-lock-file", path.join(w.root, "missing-dir", "x.lock")]);
  assert.notEqual(noDir.status, 0);
  assert.match(noDir.stderr, /cannot write the lock file '.*missing-dir\/x\.lock' \(given with '--output-lock-file'\)/);
  assert.equal(lockOf(top), before);
  assert.equal(git(w, top, "status", "--short"), "");
});
