// `tix flake …` and flake installables through bin/tix, differentially against Nix 2.8 where it is
// installed: lock files byte for byte, metadata, drvPaths, update/override/commit, dirty trees,
// errors that leave flake.lock alone, show/check/init/new, registries and the evaluation cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import { hasNix } from "../store/test-util.js";
import { canBuild, type RunResult } from "../build/build-fixtures.js";
import { commitFile, git, lockOf, nix, ok, repo, tix, world, type World } from "./flake-test-util.js";

/** Runs `f` with the repository reset to HEAD between the Nix run and the tix run. */
function differential(w: World, dir: string, run: (who: "nix" | "tix") => void): { nixLock: string; tixLock: string } {
  const head = git(w, dir, "rev-parse", "HEAD").trim();
  run("nix");
  const nixLock = lockOf(dir);
  git(w, dir, "reset", "-q", "--hard", head);
  git(w, dir, "clean", "-qfdx");
  run("tix");
  const tixLock = lockOf(dir);
  return { nixLock, tixLock };
}

const withNix = hasNix() ? false : "Nix is not installed";

function fixture(w: World): { a: string; b: string; c: string; data: string; plain: string } {
  const c = repo(w, "c", { "flake.nix": `{ outputs = { self }: { v = "c"; }; }\n` });
  const b = repo(w, "b", {
    "flake.nix": `{
  description = "b";
  inputs.c.url = "git+file://${w.root}/c";
  inputs.c2.follows = "c";
  outputs = { self, c, c2 }: { v = "b" + c.v + c2.v; };
}
`,
  });
  const data = repo(w, "data", { "hello.txt": "hello\n" });
  const plain = path.join(w.root, "plain");
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, "x.txt"), "x\n");
  const a = repo(w, "a", {
    "flake.nix": `{
  description = "the root flake";
  inputs.b.url = "git+file://${w.root}/b";
  inputs.b.inputs.c.follows = "d";
  inputs.d.url = "git+file://${w.root}/c";
  inputs.data = { url = "git+file://${w.root}/data"; flake = false; };
  inputs.plain = { url = "path:${plain}"; flake = false; };
  outputs = { self, b, d, data, plain }: {
    v = b.v;
    drv = derivation {
      name = "drv"; system = "x86_64-linux"; builder = "/bin/sh";
      args = [ "-c" "echo \${data}/hello.txt \${plain} \${self} > $out" ];
    };
    myRev = self.rev or "dirty";
    dirty = self.dirtyShortRev or "clean";
    dataNames = builtins.attrNames data;
  };
}
`,
  });
  return { a, b, c, data, plain };
}

test("nested inputs, follows, flake = false: flake.lock, metadata and drvPaths agree with Nix", { skip: withNix }, () => {
  const w = world();
  const { a } = fixture(w);
  const results: Record<string, string> = {};
  const { nixLock, tixLock } = differential(w, a, (who) => {
    const r = who === "nix" ? nix(w, a, ["eval", "--raw", ".#drv.drvPath"]) : tix(w, a, ["eval", "--raw", ".#drv.drvPath"]);
    ok(r, `${who} eval`);
    results[who] = r.stdout;
    assert.match(r.stderr, /creating lock file/);
  });
  assert.equal(tixLock, nixLock);
  const d = results;
  assert.equal(d["tix"], d["nix"], "drvPath");
  assert.match(tixLock, /"c": \[\n\s+"d"\n\s+\]/);
  assert.match(tixLock, /"c2": \[\n\s+"b",\n\s+"c"\n\s+\]/);

  // The lock file is committed now: metadata of the clean tree.
  git(w, a, "add", "flake.lock");
  git(w, a, "commit", "-qm", "lock");
  const nm = JSON.parse(ok(nix(w, a, ["flake", "metadata", "--json"]), "nix metadata")) as Record<string, unknown>;
  const tm = JSON.parse(ok(tix(w, a, ["flake", "metadata", "--json"]), "tix metadata")) as Record<string, unknown>;
  for (const k of ["description", "locked", "locks", "original", "originalUrl", "path", "resolved", "resolvedUrl", "revision", "revCount", "lastModified", "url"]) {
    assert.deepEqual(tm[k], nm[k], `metadata ${k}`);
  }
  assert.equal(ok(tix(w, a, ["eval", ".#v"]), "eval v"), '"bcc"\n');
  // (Nix 2.8 prints no newline after --json output; modern Nix and tix do.)
  assert.equal(ok(tix(w, a, ["eval", "--json", ".#dataNames"]), "names").trim(), ok(nix(w, a, ["eval", "--json", ".#dataNames"]), "nix names").trim());
  assert.equal(ok(tix(w, a, ["eval", "--raw", ".#myRev"]), "rev"), git(w, a, "rev-parse", "HEAD").trim());

  // The text form lists the inputs as a tree.
  const text = ok(tix(w, a, ["flake", "metadata"]), "metadata text");
  assert.match(text, /^Resolved URL: {2}git\+file:\/\/.*\/a\n/);
  assert.match(text, /Description: {3}the root flake\n/);
  assert.match(text, /├───b: git\+file:\/\/.*\/b\?ref=master&rev=[0-9a-f]{40} \(2024-01-02 03:04:05\)\n│   ├───c follows input 'd'\n│   └───c2 follows input 'b\/c'\n/);
});

test("--update-input after a new commit, --commit-lock-file and --override-input agree with Nix", { skip: withNix }, () => {
  const w = world();
  const { a, b, c } = fixture(w);
  const results: Record<string, string> = {};
  ok(tix(w, a, ["flake", "lock"]), "lock");
  git(w, a, "add", "flake.lock");
  git(w, a, "commit", "-qm", "lock");
  commitFile(w, c, "flake.nix", `{ outputs = { self }: { v = "C"; }; }\n`);

  // Nothing changes without --update-input: the old entry is kept.
  const before = lockOf(a);
  ok(tix(w, a, ["flake", "lock"]), "lock again");
  assert.equal(lockOf(a), before);

  const upd = differential(w, a, (who) => {
    const args = ["flake", "lock", "--update-input", "d", "--commit-lock-file"];
    const r = who === "nix" ? nix(w, a, args) : tix(w, a, args);
    ok(r, `${who} update`);
    assert.match(r.stderr, /• Updated input 'd':\n {4}'git\+file:\/\/.*\/c\?ref=master&rev=[0-9a-f]{40}' \(2024-01-02\)\n {2}→ 'git\+file:/);
    results[who + "msg"] = git(w, a, "log", "-1", "--format=%B");
  });
  assert.equal(upd.tixLock, upd.nixLock);
  const d = results;
  assert.equal(d["tixmsg"], d["nixmsg"]);
  assert.match(d["tixmsg"]!, /^flake\.lock: Update\n\nFlake lock file updates:\n\n• Updated input 'd':\n/);
  assert.equal(git(w, a, "status", "--short"), "");
  assert.equal(ok(tix(w, a, ["eval", ".#v"]), "eval"), '"bCC"\n');

  const ovr = differential(w, a, (who) => {
    const args = ["flake", "lock", "--override-input", "d", b];
    ok(who === "nix" ? nix(w, a, args) : tix(w, a, args), `${who} override`);
  });
  assert.equal(ovr.tixLock, ovr.nixLock);
  // The override sticks: `original` is still flake.nix's reference.
  assert.match(ovr.tixLock, /"original": \{\n\s+"type": "git",\n\s+"url": "file:\/\/.*\/c"/);
});

test("--override-input outside 'flake lock' leaves flake.lock alone and says so, as Nix does", { skip: withNix }, () => {
  const w = world();
  const { a, b } = fixture(w);
  ok(tix(w, a, ["flake", "lock"]), "lock");
  git(w, a, "add", "flake.lock");
  git(w, a, "commit", "-qm", "lock");
  const before = lockOf(a);
  const out: Record<string, RunResult> = {};
  for (const who of ["nix", "tix"] as const) {
    const args = ["eval", "--raw", ".#v", "--override-input", "d", b, "--commit-lock-file"];
    out[who] = who === "nix" ? nix(w, a, args) : tix(w, a, args);
    ok(out[who]!, `${who} eval --override-input`);
    assert.equal(lockOf(a), before, `${who} left flake.lock alone`);
    assert.equal(git(w, a, "status", "--short"), "");
  }
  assert.equal(out["tix"]!.stdout, out["nix"]!.stdout);
  assert.equal(out["tix"]!.stderr, out["nix"]!.stderr);
  assert.match(out["tix"]!.stderr, /^warning: not writing modified lock file of flake 'git\+file:\/\/.*\/a':\n• Updated input 'd':\n/);
});

test("nested url overrides lock the override as 'original' (modern Nix; 2.8 kept the dependency's own)", () => {
  const w = world();
  const { c } = fixture(w);
  const n = repo(w, "n", {
    "flake.nix": `{
  inputs.b.url = "git+file://${w.root}/b";
  inputs.b.inputs.c.url = "git+file://${c}?ref=master";
  outputs = { self, b }: { v = b.v; };
}
`,
  });
  ok(tix(w, n, ["flake", "lock"]), "lock");
  // Nix 2.8 writes `"original": {"type": "git", "url": "file://…/c"}` here (b's own reference);
  // modern Nix records the override, so that editing it in flake.nix re-locks the input.
  assert.match(lockOf(n), /"original": \{\n\s+"ref": "master",\n\s+"type": "git",\n\s+"url": "file:\/\/.*\/c"/);
});

test("dirty trees: no rev, dirtyRev, lock file written beside flake.nix; --no-allow-dirty refuses", () => {
  const w = world();
  const { a } = fixture(w);
  fs.appendFileSync(path.join(a, "flake.nix"), "\n# edited\n");
  const r = tix(w, a, ["eval", "--raw", ".#myRev"]);
  assert.equal(ok(r, "eval rev"), "dirty");
  assert.match(r.stderr, /warning: Git tree '.*\/a' is dirty/);
  assert.ok(fs.existsSync(path.join(a, "flake.lock")), "lock file written on a dirty tree");
  assert.match(git(w, a, "status", "--short"), /A flake\.lock/);
  const head = git(w, a, "rev-parse", "--short=7", "HEAD").trim();
  assert.equal(ok(tix(w, a, ["eval", "--raw", ".#dirty"]), "dirty"), `${head}-dirty`);
  for (const flag of [["--no-allow-dirty"], ["--option", "allow-dirty", "false"]]) {
    const refused = tix(w, a, ["eval", ".#v", ...flag]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Git tree '.*\/a' is dirty/);
  }
});

test("?rev= references, dir= subflakes and builtins.getFlake", () => {
  const w = world();
  const s = repo(w, "s", { "sub/flake.nix": `{ outputs = { self }: { v = "one"; out = self.outPath; }; }\n` });
  const rev1 = git(w, s, "rev-parse", "HEAD").trim();
  commitFile(w, s, "sub/flake.nix", `{ outputs = { self }: { v = "two"; out = self.outPath; }; }\n`);
  const url = `git+file://${s}`;
  assert.equal(ok(tix(w, w.root, ["eval", `${url}?dir=sub#v`]), "head"), '"two"\n');
  assert.equal(ok(tix(w, w.root, ["eval", `${url}?dir=sub&rev=${rev1}#v`]), "rev1"), '"one"\n');
  // A bare path inside a git work tree is the git flake with `dir`.
  const meta = JSON.parse(ok(tix(w, path.join(s, "sub"), ["flake", "metadata", "--json", "."]), "meta")) as Record<string, unknown>;
  assert.equal(meta["originalUrl"], `git+file://${s}?dir=sub`);
  // Pure getFlake needs a locked reference; --impure lifts that.
  const pure = tix(w, w.root, ["eval", "--expr", `(builtins.getFlake "${url}?dir=sub").v`]);
  assert.notEqual(pure.status, 0);
  assert.match(pure.stderr, /cannot call 'getFlake' on unlocked flake reference/);
  assert.equal(ok(tix(w, w.root, ["eval", "--expr", `(builtins.getFlake "${url}?dir=sub&rev=${rev1}").v`]), "locked getFlake"), '"one"\n');
  assert.equal(ok(tix(w, w.root, ["eval", "--impure", "--expr", `(builtins.getFlake "${url}?dir=sub").v`]), "impure getFlake"), '"two"\n');
});

test("broken flake.nix, corrupt flake.lock, unknown types and missing inputs fail clearly and leave flake.lock alone", () => {
  const w = world();
  const { a } = fixture(w);
  ok(tix(w, a, ["flake", "lock"]), "lock");
  git(w, a, "add", "flake.lock");
  git(w, a, "commit", "-qm", "lock");
  const good = fs.readFileSync(path.join(a, "flake.nix"), "utf8");
  const lock = lockOf(a);
  const expectError = (flakeNix: string, lockText: string, re: RegExp, args = ["flake", "lock"]): void => {
    fs.writeFileSync(path.join(a, "flake.nix"), flakeNix);
    fs.writeFileSync(path.join(a, "flake.lock"), lockText);
    const r = tix(w, a, args);
    assert.notEqual(r.status, 0, `expected failure for ${re}`);
    assert.match(r.stderr, re);
    assert.equal(lockOf(a), lockText, "flake.lock untouched");
  };
  expectError("{ outputs = { self }: { v = 1; } \n", lock, /error: syntax error, unexpected end of file/);
  expectError("{ foo = 1; outputs = { self }: { }; }\n", lock, /flake 'git\+file:\/\/.*' has an unsupported attribute 'foo', at .*flake\.nix:1:3/);
  expectError("let x = 1; in { outputs = { self }: { }; }\n", lock, /file '.*flake\.nix' must be an attribute set/);
  expectError("{ description = \"x\"; }\n", lock, /lacks attribute 'outputs'/);
  expectError(good, "{ not json", /cannot parse lock file/);
  expectError(good, '{"nodes": {}, "root": "root", "version": 99}\n', /unsupported version 99/);
  expectError(good.replace(/inputs\.d\.url = "[^"]*"/, 'inputs.d.url = "foo+bar:///x"'), lock, /input 'foo\+bar:\/\/\/x' is unsupported/);
  expectError(good.replace(/inputs\.d\.url = "[^"]*"/, `inputs.d.url = "git+file://${w.root}/missing"`), lock, /missing/);
  expectError(good.replace("inputs.plain = {", "inputs.extra = { url = \"git+file:///x\"; foo = [ 1 ]; };\n  inputs.plain = {"), lock, /flake input attribute 'foo' is a list while a string, Boolean, or integer is expected/);
  // A lock file that needs changes is an error with --no-update-lock-file.
  expectError(good.replace(`"path:${w.root}/plain"`, `"path:${w.root}/c"`), lock, /requires lock file changes but they're not allowed due to '--no-update-lock-file'/, ["flake", "lock", "--no-update-lock-file"]);
  // --no-write-lock-file computes but does not write.
  fs.writeFileSync(path.join(a, "flake.nix"), good.replace(`"path:${w.root}/plain"`, `"path:${w.root}/c"`));
  const r = tix(w, a, ["eval", ".#v", "--no-write-lock-file"]);
  assert.equal(ok(r, "no-write"), '"bcc"\n');
  assert.match(r.stderr, /warning: not writing modified lock file of flake/);
  assert.equal(lockOf(a), lock);
});

test("installables: default attribute search, its error, show, check, eval cache", () => {
  const w = world();
  const f = repo(w, "f", {
    "flake.nix": `{
  outputs = { self }: let
    mk = name: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ]; };
  in {
    packages.x86_64-linux.default = mk "hello";
    packages.x86_64-linux.foo = mk "foo";
    legacyPackages.x86_64-linux.bar = mk "bar";
    packages.aarch64-linux.foo = mk "foo";
    nixosModules.m = { ... }: { };
    nixosConfigurations.c = { config.system.build.toplevel = mk "toplevel"; };
    overlays.o = final: prev: { };
    templates.t = { path = ./tmpl; description = "a template"; welcomeText = "welcome!"; };
    apps.x86_64-linux.a = { type = "app"; program = "/bin/sh"; };
    checks.x86_64-linux.c = mk "check";
    baz = 3;
  };
}
`,
    "tmpl/flake.nix": "{ outputs = { self }: { }; }\n",
    "tmpl/README": "hi\n",
  });
  const drvName = (args: string[]) => ok(tix(w, f, ["eval", "--raw", ...args]), args.join(" ")).replace(/^\/nix\/store\/[a-z0-9]{32}-/, "");
  assert.equal(drvName([".#default.drvPath"]), "hello.drv");
  assert.equal(drvName(["#foo.drvPath"]), "foo.drv");
  assert.equal(drvName([".#bar.drvPath"]), "bar.drv");
  assert.equal(ok(tix(w, f, ["eval", ".#baz"]), "baz"), "3\n");
  assert.equal(ok(tix(w, f, ["eval", ".#baz", "--apply", "x: x * 2"]), "apply"), "6\n");
  const missing = tix(w, f, ["eval", ".#nope"]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /error: flake 'git\+file:\/\/.*\/f' does not provide attribute 'packages\.x86_64-linux\.nope', 'legacyPackages\.x86_64-linux\.nope' or 'nope'/);

  // No inputs: like Nix, no flake.lock is written, and the tree stays clean.
  assert.equal(fs.existsSync(path.join(f, "flake.lock")), false);
  const show = ok(tix(w, f, ["flake", "show"]), "show");
  assert.equal(
    show.replace(/^git\+file:\S+\n/, ""),
    [
      "├───apps",
      "│   └───x86_64-linux",
      "│       └───a: app",
      "├───baz: unknown",
      "├───checks",
      "│   └───x86_64-linux",
      "│       └───c: derivation 'check'",
      "├───legacyPackages",
      "│   └───x86_64-linux omitted (use '--legacy' to show)",
      "├───nixosConfigurations",
      "│   └───c: NixOS configuration",
      "├───nixosModules",
      "│   └───m: NixOS module",
      "├───overlays",
      "│   └───o: Nixpkgs overlay",
      "├───packages",
      "│   ├───aarch64-linux",
      "│   │   └───foo omitted (use '--all-systems' to show)",
      "│   └───x86_64-linux",
      "│       ├───default: package 'hello'",
      "│       └───foo: package 'foo'",
      "└───templates",
      "    └───t: template: a template",
      "",
    ].join("\n"),
  );
  const json = JSON.parse(ok(tix(w, f, ["flake", "show", "--json", "--all-systems"]), "show json")) as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(json["packages"]!["aarch64-linux"]!["foo"], { name: "foo", type: "derivation" });
  assert.deepEqual(json["templates"]!["t"], { description: "a template", type: "template" });

  // The evaluation cache answers `flake show` for an unchanged locked flake: doctor a cached
  // string and the next `show` prints it.
  const cache = path.join(w.env["XDG_CACHE_HOME"]!, "tix", "eval-cache-v1.sqlite");
  const db = new (createRequire(import.meta.url)("better-sqlite3") as typeof Database)(cache);
  const changed = db
    .prepare("update Attributes set value = ? where path = ?")
    .run(JSON.stringify({ t: "string", s: "from the cache", ctx: [] }), ["templates", "t", "description"].join("\0")).changes;
  // The tree as printed is cached too: first it answers, without the doctored attribute.
  assert.equal(ok(tix(w, f, ["flake", "show"]), "show cached"), show);
  const rendered = db.prepare("delete from Rendered").run().changes;
  db.close();
  assert.equal(changed, 1);
  assert.ok(rendered >= 1);
  assert.equal(ok(tix(w, f, ["flake", "show"]), "show cached"), show.replace("template: a template", "template: from the cache"));
  // A dirty tree is never cached.
  fs.appendFileSync(path.join(f, "flake.nix"), "\n");
  assert.equal(ok(tix(w, f, ["flake", "show"]), "show dirty").replace(/^git\+file:\S+\n/, ""), show.replace(/^git\+file:\S+\n/, ""));
  git(w, f, "checkout", "flake.nix");

  const check = tix(w, f, ["flake", "check"]);
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stderr, /unknown flake output 'baz'/);
  assert.match(check.stderr, /omitted these incompatible systems: aarch64-linux/);

  // init/new from the template: copies files, prints the welcome text, never overwrites.
  const target = path.join(w.root, "new");
  const created = tix(w, w.root, ["flake", "new", target, "-t", `git+file://${f}#t`]);
  // As in Nix, the welcome text is rendered to stderr after the files written, not to stdout.
  assert.equal(ok(created, "new"), "");
  assert.equal(created.stderr, `wrote: ${path.join(target, "README")}\nwrote: ${path.join(target, "flake.nix")}\n\n\n    welcome!\n\n`);
  assert.equal(fs.readFileSync(path.join(target, "README"), "utf8"), "hi\n");
  // Again into the same directory: as in Nix, nothing is overwritten and identical files are skipped.
  const again = tix(w, w.root, ["flake", "new", target, "-t", `git+file://${f}#t`]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /^skipping identical file: \/nix\/store\/[0-9a-z]{32}-source\/tmpl\/README\n/);
  fs.writeFileSync(path.join(target, "README"), "changed\n");
  const conflicting = tix(w, w.root, ["flake", "new", target, "-t", `git+file://${f}#t`]);
  assert.equal(conflicting.status, 1);
  assert.match(conflicting.stderr, /refusing to overwrite existing file '.*\/new\/README'\n please merge it manually with '\/nix\/store\/.*-source\/tmpl\/README'/);
  assert.match(conflicting.stderr, /error: encountered 1 conflicts - see above\n$/);
  assert.equal(fs.readFileSync(path.join(target, "README"), "utf8"), "changed\n");
  const initDir = repo(w, "init", { "README": "mine\n" });
  const conflict = tix(w, initDir, ["flake", "init", "-t", `git+file://${f}#t`]);
  assert.notEqual(conflict.status, 0);
  assert.match(conflict.stderr, /refusing to overwrite existing file '.*\/README'/);
  assert.equal(fs.readFileSync(path.join(initDir, "README"), "utf8"), "mine\n");
  // A second init over its own files: modern Nix's "skipping identical file: TEMPLATE-FILE".
  const fresh = repo(w, "init2", { "other": "x\n" });
  ok(tix(w, fresh, ["flake", "init", "-t", `git+file://${f}#t`]), "init");
  const twice = tix(w, fresh, ["flake", "init", "-t", `git+file://${f}#t`]);
  assert.equal(ok(twice, "init again"), "");
  assert.match(twice.stderr, /^skipping identical file: \/nix\/store\/[a-z0-9]{32}-source\/tmpl\/README\nskipping identical file: \/nix\/store\/[a-z0-9]{32}-source\/tmpl\/flake\.nix\n\n\n    welcome!\n\n$/);
});

test("a missing flake attribute: the paths tried as written, Nix's 'Did you mean …?', and 'is not an attribute set' (as Nix 2.8 says)", () => {
  const w = world();
  const f = repo(w, "f", {
    "flake.nix": `{
  outputs = { self }: {
    nixosConfigurations.container = { config.networking = { hostName = "nixos"; firewall.enable = true; }; };
  };
}
`,
  });
  const url = `git+file://${f}`;
  const tried = (frag: string) =>
    `error: flake '${url}' does not provide attribute 'packages.x86_64-linux.${frag}', 'legacyPackages.x86_64-linux.${frag}' or '${frag}'`;
  const cases: [string, string][] = [
    ["nixosConfigurations.contain", `${tried("nixosConfigurations.contain")}\n       Did you mean container?\n`],
    ["nixosConfiguration.container", `${tried("nixosConfiguration.container")}\n       Did you mean nixosConfigurations?\n`],
    ["nixosConfigurations.container.config.networking.firewal", `${tried("nixosConfigurations.container.config.networking.firewal")}\n       Did you mean firewall?\n`],
    ['"nixosConfigurations"."containr"', `${tried('"nixosConfigurations"."containr"')}\n       Did you mean container?\n`],
    ["nixosConfigurations.c", `${tried("nixosConfigurations.c")}\n`],
    ["nixosConfigurations.container.config.networking.hostName.foo", "error: 'nixosConfigurations.container.config.networking.hostName' is not an attribute set\n"],
  ];
  for (const [frag, expected] of cases) {
    const r = tix(w, f, ["eval", `.#${frag}`]);
    assert.equal(r.status, 1, frag);
    assert.equal(r.stderr, expected, frag);
    if (withNix === false) {
      const n = nix(w, f, ["eval", `.#${frag}`]);
      assert.equal(n.stderr.replace(/^evaluating .*\n/gm, ""), expected, `nix eval .#${frag}`);
    }
  }
});

test("registries: list, add, remove, pin; indirect references resolve through them", () => {
  const w = world();
  const f = repo(w, "f", { "flake.nix": `{ outputs = { self }: { v = 42; }; }\n` });
  const userReg = path.join(w.env["XDG_CONFIG_HOME"]!, "nix", "registry.json");
  ok(tix(w, w.root, ["registry", "add", "myflake", `git+file://${f}`]), "add");
  assert.deepEqual(JSON.parse(fs.readFileSync(userReg, "utf8")), {
    flakes: [{ from: { id: "myflake", type: "indirect" }, to: { type: "git", url: `file://${f}` } }],
    version: 2,
  });
  assert.equal(ok(tix(w, w.root, ["registry", "list"]), "list"), `user   flake:myflake git+file://${f}\n`);
  assert.equal(ok(tix(w, w.root, ["eval", "myflake#v"]), "eval"), "42\n");
  fs.writeFileSync(w.env["TIX_SYSTEM_REGISTRY"]!, JSON.stringify({ flakes: [{ from: { id: "sys", type: "indirect" }, to: { type: "git", url: `file://${f}` } }], version: 2 }));
  assert.equal(ok(tix(w, w.root, ["eval", "sys#v"]), "system registry"), "42\n");
  ok(tix(w, w.root, ["registry", "pin", "myflake"]), "pin");
  const rev = git(w, f, "rev-parse", "HEAD").trim();
  assert.match(fs.readFileSync(userReg, "utf8"), new RegExp(`"rev": "${rev}"`));
  ok(tix(w, w.root, ["registry", "remove", "myflake"]), "remove");
  assert.deepEqual(JSON.parse(fs.readFileSync(userReg, "utf8")), { flakes: [], version: 2 });
  const unknown = tix(w, w.root, ["eval", "nosuch#v"]);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /cannot find flake 'flake:nosuch' in the flake registries/);
});

test("tix build FLAKE#ATTR builds the flake's package and links the result", { skip: canBuild() ? false : "needs root, bubblewrap and busybox" }, () => {
  const w = world();
  const f = repo(w, "bf", {
    "flake.nix": `{
  outputs = { self }: {
    packages.x86_64-linux.default = derivation {
      name = "greeting"; system = "x86_64-linux"; builder = "\${./bb}/busybox";
      args = [ "sh" "-c" "echo hello from \${self.shortRev or "dirty"} > $out" ];
    };
  };
}
`,
  });
  fs.mkdirSync(path.join(f, "bb"));
  fs.copyFileSync("/bin/busybox", path.join(f, "bb", "busybox"));
  git(w, f, "add", "bb");
  git(w, f, "commit", "-qm", "busybox");
  const link = path.join(w.root, "result");
  ok(tix(w, f, ["build", "--out-link", link]), "build .");
  const short = git(w, f, "rev-parse", "--short=7", "HEAD").trim();
  assert.equal(fs.readFileSync(path.join(w.tixStore, fs.readlinkSync(link)), "utf8"), `hello from ${short}\n`);
  const printed = ok(tix(w, w.root, ["build", `git+file://${f}#default`, "--no-link", "--print-out-paths"]), "build url").trim();
  assert.equal(printed, fs.readlinkSync(link));
});

test("relative path: inputs are locked with their parent (modern Nix); flake update INPUT; archive", () => {
  const w = world();
  const { c } = fixture(w);
  const r = repo(w, "rel", {
    "flake.nix": `{
  inputs.sub.url = "path:./sub";
  inputs.data = { url = "path:./data"; flake = false; };
  inputs.c.url = "git+file://${c}";
  outputs = { self, sub, data, c }: { v = sub.v + builtins.readFile (data + "/f") + c.v; };
}
`,
    "sub/flake.nix": `{ outputs = { self }: { v = "sub,"; }; }\n`,
    "data/f": "data,",
  });
  assert.equal(ok(tix(w, r, ["eval", ".#v"]), "eval"), '"sub,data,c"\n');
  const lock = JSON.parse(lockOf(r)) as { nodes: Record<string, { locked: unknown; parent?: unknown }> };
  assert.deepEqual(lock.nodes["sub"]!.locked, { path: "./sub", type: "path" });
  assert.deepEqual(lock.nodes["sub"]!.parent, []);
  git(w, r, "add", "flake.lock");
  git(w, r, "commit", "-qm", "lock");

  commitFile(w, c, "flake.nix", `{ outputs = { self }: { v = "C"; }; }\n`);
  const upd = tix(w, r, ["flake", "update", "c"]);
  ok(upd, "update c");
  assert.match(upd.stderr, /• Updated input 'c':/);
  assert.doesNotMatch(upd.stderr, /input 'sub'/);
  assert.equal(ok(tix(w, r, ["eval", ".#v"]), "eval"), '"sub,data,C"\n');

  const archived = JSON.parse(ok(tix(w, r, ["flake", "archive", "--json"]), "archive")) as { path: string; inputs: Record<string, { path: string }> };
  assert.deepEqual(Object.keys(archived.inputs), ["c", "data", "sub"]);
  assert.equal(archived.inputs["sub"]!.path, archived.path);
  const other = path.join(w.root, "other-store");
  ok(tix(w, r, ["flake", "archive", "--to", other]), "archive --to");
  assert.ok(fs.existsSync(path.join(other, archived.inputs["c"]!.path)));
});

test("flake show's first line is the locked URL as flake metadata prints it (modern: narHash percent-encoded)", () => {
  const w = world();
  const f = path.join(w.root, "plain");
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, "flake.nix"), "{ outputs = { self }: { x = 1; }; }\n");
  const locked = /^Locked URL:\s+(\S+)$/m.exec(ok(tix(w, f, ["flake", "metadata", `path:${f}`]), "metadata"))?.[1];
  assert.match(locked ?? "", /^path:\/.*[?&]narHash=sha256-[A-Za-z0-9%/]+%3D(&|$)/);
  assert.equal(ok(tix(w, f, ["flake", "show", `path:${f}`]), "show").split("\n")[0], locked);
});

test("an untracked flake.nix in a Git work tree: modern Nix's advice to 'git add' it (also in a subdirectory); an explicit ?rev= is not the work tree", () => {
  const w = world();
  const f = repo(w, "f", { README: "x\n" });
  const flakeText = "{ outputs = { self }: { v = 1; }; }\n";
  fs.writeFileSync(path.join(f, "flake.nix"), flakeText);
  fs.mkdirSync(path.join(f, "sub"));
  fs.writeFileSync(path.join(f, "sub", "flake.nix"), flakeText);
  const advice = (rel: string) =>
    `error: Path '${rel}' in the repository "${f}" is not tracked by Git.\n\n` +
    `       To make it visible to Nix, run:\n\n` +
    `       git -C "${f}" add "${rel}"\n`;
  for (const [args, rel] of [[["eval", ".#v"], "flake.nix"], [["flake", "show"], "flake.nix"], [["flake", "show", "./sub"], "sub/flake.nix"]] as const) {
    const r = tix(w, f, [...args]);
    assert.equal(r.status, 1, args.join(" "));
    assert.equal(r.stderr, advice(rel), args.join(" "));
  }
  const rev = git(w, f, "rev-parse", "HEAD").trim();
  const pinned = tix(w, f, ["flake", "show", `git+file://${f}?rev=${rev}`]);
  assert.equal(pinned.status, 1);
  assert.match(pinned.stderr, /does not contain a '\/flake\.nix' file/);
  git(w, f, "add", "flake.nix");
  assert.equal(ok(tix(w, f, ["eval", ".#v"]), "after git add"), "1\n");
});
