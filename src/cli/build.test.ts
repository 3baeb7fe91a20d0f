// `tix build`, `tix log`, `tix derivation show` and `tix instantiate` (without --eval) through
// bin/tix: result links and GC roots, --json, --rebuild, --option sandbox false, logs.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { hasNix, nix, tempDir } from "../store/test-util.js";
import { canBuild, ok, preludeFile, tix } from "../build/build-fixtures.js";

const skip = !canBuild() ? "needs root, bubblewrap and busybox" : false;

const EXPR = `let inherit (import ./prelude.nix) mk; in {
  multi = mk "multi" "echo building multi; mkdir $out $dev; echo out > $out/file; echo $out > $dev/ref" { outputs = [ "out" "dev" ]; };
  nondet = mk "nondet" "cat /proc/sys/kernel/random/uuid > $out" {};
  unsandboxed = mk "unsandboxed" "echo $NIX_BUILD_TOP > $out; cat $HOST_FILE >> $out" { HOST_FILE = toString ./host.txt; };
}
`;

function setup(): { dir: string; file: string; store: string; run: (args: string[]) => ReturnType<typeof tix> } {
  const dir = tempDir("tix-cli-build-");
  preludeFile(dir);
  const file = path.join(dir, "f.nix");
  fs.writeFileSync(file, EXPR);
  fs.writeFileSync(path.join(dir, "host.txt"), "from the host\n");
  const store = path.join(dir, "store");
  const tmp = tempDir("tix-cli-tmp-");
  return { dir, file, store, run: (args) => tix(args, { TMPDIR: tmp }) };
}

test("tix instantiate writes derivations; tix build makes result links, roots, JSON; log and derivation show", { skip }, () => {
  const { dir, file, store, run } = setup();
  const autoRoots = (): string[] => fs.readdirSync(path.join(store, "nix/var/nix/gcroots/auto")).map((l) => fs.readlinkSync(path.join(store, "nix/var/nix/gcroots/auto", l))).sort();

  // instantiate: prints the root (a symlink to the .drv, registered as an indirect root).
  const root = path.join(dir, "drv-root");
  const printed = ok(run(["instantiate", "--store", store, file, "-A", "multi", "--add-root", root, "--indirect"]), "instantiate").trim();
  assert.equal(printed, root);
  const drvPath = fs.readlinkSync(root);
  assert.match(drvPath, /^\/nix\/store\/[a-z0-9]{32}-multi\.drv$/);
  assert.ok(fs.existsSync(path.join(store, drvPath)));
  assert.deepEqual(autoRoots(), [root]);

  // build: one installable per output; links result-dev, result-1; --json like nix build.
  const link = path.join(dir, "result");
  const r = run(["build", "--store", store, "-f", file, "multi.dev", "multi", "--out-link", link, "--json"]);
  const json = JSON.parse(ok(r, "build")) as { drvPath: string; outputs: Record<string, string> }[];
  assert.equal(r.stderr, `building '${drvPath}'...\n`);
  assert.equal(json.length, 2);
  assert.equal(json[0]!.drvPath, drvPath);
  const dev = json[0]!.outputs.dev!;
  const out = json[1]!.outputs.out!;
  assert.deepEqual(Object.keys(json[0]!.outputs), ["dev"]);
  assert.equal(fs.readlinkSync(`${link}-dev`), dev);
  assert.equal(fs.readlinkSync(`${link}-1`), out);
  assert.deepEqual(autoRoots(), [root, `${link}-1`, `${link}-dev`].sort());
  assert.equal(fs.readFileSync(path.join(store, dev, "ref"), "utf8"), `${out}\n`);

  // Nothing left to do: no output; --dry-run says nothing; the log is there for drv and outputs.
  const again = run(["build", "--store", store, "-f", file, "multi", "--no-link", "--print-out-paths"]);
  assert.equal(ok(again, "build again"), `${out}\n`);
  assert.equal(again.stderr, "");
  const log = run(["log", "--store", store, `${link}-1`]);
  assert.equal(ok(log, "log"), "building multi\n");
  assert.equal(log.stderr, `got build log for '${link}-1' from 'local'\n`);

  // derivation show: modern JSON, keyed by the .drv path (an output resolves to its deriver).
  const shown = JSON.parse(ok(run(["derivation", "show", "--store", store, `${link}-dev`]), "derivation show")) as Record<string, { outputs: Record<string, { path: string }>; name: string }>;
  assert.deepEqual(Object.keys(shown), [drvPath]);
  assert.equal(shown[drvPath]!.name, "multi");
  assert.equal(shown[drvPath]!.outputs.dev!.path, dev);
  // Modern derived paths `DRV^out` / `DRV^*` name the derivation (was: "illegal character '^'").
  for (const spec of ["dev", "*"]) {
    assert.deepEqual(Object.keys(JSON.parse(ok(run(["derivation", "show", "--store", store, `${drvPath}^${spec}`]), "show ^"))), [drvPath]);
  }
  assert.equal(ok(run(["build", "--store", store, `${drvPath}^dev`, "--no-link", "--print-out-paths"]), "build ^dev"), `${dev}\n`);
  assert.equal(ok(run(["build", "--store", store, `${drvPath}^*`, "--no-link", "--print-out-paths"]), "build ^*"), `${dev}\n${out}\n`);

  // --rebuild of a deterministic build passes, and links the result as Nix does.
  const rebuilt = path.join(dir, "rebuilt");
  const check = run(["build", "--store", store, "-f", file, "multi", "--rebuild", "--out-link", rebuilt]);
  assert.equal(check.status, 0, check.stderr);
  assert.equal(check.stderr, `checking outputs of '${drvPath}'...\n`);
  assert.equal(fs.readlinkSync(rebuilt), out);

  // Flake installables go through src/flake (see flake.test.ts); an unknown flake is an error.
  const flake = run(["build", "--store", store, "nosuchflake#hello"]);
  assert.equal(flake.status, 1);
  assert.match(flake.stderr, /cannot find flake 'flake:nosuchflake' in the flake registries/);
});

test("tix build --rebuild reports non-determinism; --option sandbox false runs unsandboxed", { skip }, () => {
  const { file, store, run } = setup();
  ok(run(["build", "--store", store, "-f", file, "nondet", "--no-link"]), "build");
  const r = run(["build", "--store", store, "-f", file, "nondet", "--rebuild"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^checking outputs of '.*-nondet\.drv'\.\.\.\nerror: derivation '.*-nondet\.drv' may not be deterministic: output '.*\/store\/nix\/store\/[a-z0-9]{32}-nondet' differs\n$/);

  // Without the sandbox the builder sees the host file system and runs in the host build directory.
  const sandboxed = run(["build", "--store", store, "-f", file, "unsandboxed", "--no-link"]);
  assert.equal(sandboxed.status, 1, "the sandbox hides host files");
  const out = ok(run(["build", "--store", store, "-f", file, "unsandboxed", "--no-link", "--print-out-paths", "--option", "sandbox", "false"]), "unsandboxed").trim();
  const [top, text] = fs.readFileSync(path.join(store, out), "utf8").split("\n");
  assert.match(top!, /\/nix-build-unsandboxed\.drv-\d+$/);
  assert.equal(text, "from the host");
});

test("a failed build makes tix build exit with status 1, as nix build 2.8 does (nix-build's 100 is not used)", { skip }, () => {
  const { dir, store, run } = setup();
  const file = path.join(dir, "failing.nix");
  fs.writeFileSync(
    file,
    `let inherit (import ./prelude.nix) mk; in {
  fine = mk "fine" "echo ok > $out" {};
  failing = mk "failing" "exit 3" {};
  dependent = mk "dependent" "echo \${mk "inner-failing" "exit 3" {}} > $out" {};
  mismatch = mk "mismatch" "echo a > $out" { outputHashMode = "flat"; outputHashAlgo = "sha256"; outputHash = "0000000000000000000000000000000000000000000000000000"; };
}
`,
  );
  const oracle = hasNix() ? tempDir("tix-cli-build-nix-") : null;
  for (const attr of ["fine", "failing", "dependent", "mismatch"]) {
    const r = run(["build", "--store", store, "-f", file, attr, "--no-link"]);
    assert.equal(r.status, attr === "fine" ? 0 : 1, `tix build ${attr}: ${r.stderr}`);
    if (oracle !== null) {
      const n = nix("nix", ["build", "--store", oracle, "-f", file, attr, "--no-link"], { allowFail: true });
      assert.equal(r.status, n.status, `nix build ${attr} exits ${n.status}: ${n.stderr}`);
    }
  }
});

test("derivation show -r shows every derivation in the closure, also one named only as a source", () => {
  const dir = tempDir("tix-cli-drvshow-");
  const store = path.join(dir, "store");
  const expr = `let
    dep = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; };
    dep2 = derivation { name = "dep2"; system = "x86_64-linux"; builder = "/bin/sh"; x = dep; };
  in derivation { name = "top"; system = "x86_64-linux"; builder = "/bin/sh"; d = builtins.unsafeDiscardOutputDependency dep2.drvPath; }`;
  const top = ok(tix(["instantiate", "--store", store, "-E", expr]), "instantiate").trim();
  const shown = Object.keys(JSON.parse(ok(tix(["derivation", "show", "--store", store, "-r", top]), "show -r")) as object);
  assert.deepEqual(shown.map((p) => p.replace(/^\/nix\/store\/[0-9a-z]{32}-/, "")).sort(), ["dep.drv", "dep2.drv", "top.drv"]);
  if (hasNix()) {
    const oracle = path.join(dir, "oracle");
    assert.equal(nix("nix-instantiate", ["--store", oracle, "-E", expr]).stdout.trim(), top);
    const theirs = JSON.parse(nix("nix", ["show-derivation", "--store", oracle, "-r", top]).stdout) as object;
    assert.deepEqual(shown.sort(), Object.keys(theirs).sort());
  }
});

test("a .drv path with ^OUTPUTS builds those outputs (^* all of them), as in modern Nix", { skip }, () => {
  const { dir, file, store, run } = setup();
  const drvPath = ok(run(["instantiate", "--store", store, file, "-A", "multi"]), "instantiate").trim();
  const built = (installable: string, link: string): Record<string, string> => {
    const json = JSON.parse(ok(run(["build", "--store", store, installable, "--out-link", link, "--json"]), installable)) as { outputs: Record<string, string> }[];
    return json[0]!.outputs;
  };
  const dev = built(`${drvPath}^dev`, path.join(dir, "a"));
  assert.deepEqual(Object.keys(dev), ["dev"]);
  assert.equal(fs.readlinkSync(path.join(dir, "a-dev")), dev.dev);
  assert.equal(fs.existsSync(path.join(dir, "a")), false, "only the wanted output is linked");
  assert.deepEqual(Object.keys(built(`${drvPath}^*`, path.join(dir, "b"))), ["dev", "out"]);
  assert.deepEqual(Object.keys(built(`${drvPath}^out,dev`, path.join(dir, "c"))), ["dev", "out"]);
  const bogus = run(["build", "--store", store, `${drvPath}^bogus`, "--no-link"]);
  assert.equal(bogus.status, 1);
  assert.equal(bogus.stderr, `error: derivation '${drvPath}' does not have wanted outputs 'bogus'\n`);
});

test("store paths and derivations together: links, --json and --print-out-paths in the order given; no clobbering of the user's files", { skip }, () => {
  const { dir, file, store, run } = setup();
  const drvPath = ok(run(["instantiate", "--store", store, file, "-A", "multi"]), "instantiate").trim();
  const [out] = ok(run(["build", "--store", store, `${drvPath}^out`, "--no-link", "--print-out-paths"]), "build").trim().split("\n");
  const link = path.join(dir, "r");
  const r = run(["build", "--store", store, out!, `${drvPath}^dev`, "--out-link", link, "--json", "--print-out-paths"]);
  const [json, ...paths] = ok(r, "build").trim().split("\n");
  const parsed = JSON.parse(json!) as ({ path: string } | { drvPath: string; outputs: Record<string, string> })[];
  assert.deepEqual(parsed[0], { path: out });
  assert.equal((parsed[1] as { drvPath: string }).drvPath, drvPath);
  const dev = (parsed[1] as { outputs: Record<string, string> }).outputs.dev!;
  assert.deepEqual(paths, [out, dev]);
  assert.equal(fs.readlinkSync(link), out);
  assert.equal(fs.readlinkSync(`${link}-1-dev`), dev);

  // An existing directory, file or symlink out of the store is left alone, as Nix leaves it.
  const mine = path.join(dir, "mine");
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(dir, "file"), "x");
  fs.symlinkSync("/tmp", path.join(dir, "elsewhere"));
  for (const name of ["mine", "file", "elsewhere"]) {
    const target = path.join(dir, name);
    const refused = run(["build", "--store", store, out!, "--out-link", target]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr, `error: cannot create symlink '${target}'; already exists\n`);
  }
  assert.deepEqual(fs.readdirSync(dir).filter((e) => e.includes(".tmp-")), [], "no temporary link is left");
  assert.equal(fs.readFileSync(path.join(dir, "file"), "utf8"), "x");
  assert.equal(fs.readlinkSync(path.join(dir, "elsewhere")), "/tmp");
});

test("build settings are flags too, as in Nix: --log-lines N, --no-sandbox, --no-keep-going", { skip }, () => {
  const { dir, store, run } = setup();
  const file = path.join(dir, "lines.nix");
  fs.writeFileSync(file, `let inherit (import ./prelude.nix) mk; in { noisy = mk "noisy" "echo one; echo two; echo three; exit 1" {}; }\n`);
  const r = run(["build", "--store", store, "-f", file, "noisy", "--log-lines", "2", "--no-keep-going"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /last 2 log lines:\n {7}> two\n {7}> three\n/);
  const unsandboxed = run(["build", "--store", store, "-f", file, "noisy", "--no-sandbox", "--log-lines", "1", "--dry-run"]);
  assert.equal(unsandboxed.status, 0, unsandboxed.stderr);
});

test("-L prefixes a build's log lines with its name without the version, as Nix does", { skip }, () => {
  const { dir, store, run } = setup();
  const file = path.join(dir, "versioned.nix");
  fs.writeFileSync(file, `(import ./prelude.nix).mk "hello-2.12.1" "echo hi; echo > $out" {}\n`);
  const r = run(["build", "--store", store, "-f", file, "-L", "--no-link"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\nhello> hi\n/);
});
