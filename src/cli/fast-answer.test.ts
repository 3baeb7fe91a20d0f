// The fast answer to a repeated `tix flake show` (fast-answer.ts, answer-record.ts): it prints
// exactly what the full CLI prints, and never an answer that a change has made stale.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { findAnswer, MAX_ANSWERS, pruneAnswers } from "./answer-record.js";
import { packagesFlake, settle, sh, world, type World } from "./flake-test-util.js";

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the small entry answered (the CLI bundle did not run). */
  readonly fast: boolean;
}

const answersDir = (w: World): string => path.join(w.env["XDG_CACHE_HOME"]!, "tix", "answers");

/** The answer records by name, with their inodes (the full CLI replaces a record it writes). */
function records(w: World): Map<string, number> {
  const dir = answersDir(w);
  if (!fs.existsSync(dir)) return new Map();
  return new Map(fs.readdirSync(dir).map((n) => [n, fs.statSync(path.join(dir, n)).ino]));
}

/**
 * The environment bin/tix's node sees for `extra` (bin/tix renames NODE_EXTRA_CA_CERTS, and passes
 * on the stack limit it started with, which its shell inherits from this process).
 */
function childEnv(w: World, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...w.env, ...extra };
  if (env["NODE_EXTRA_CA_CERTS"]) {
    env["TIX_EXTRA_CA_CERTS"] = env["NODE_EXTRA_CA_CERTS"];
    delete env["NODE_EXTRA_CA_CERTS"];
  }
  env["TIX_BUILDER_STACK_LIMIT"] = /^Max stack size\s+(\S+)/m.exec(fs.readFileSync("/proc/self/limits", "utf8"))![1];
  return env;
}

/**
 * bin/tix with exactly `args`. `fast`: before the run, a record held for this command line and
 * environment (findAnswer), and the run left it untouched (the CLI would have replaced it).
 */
function run(w: World, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const cwd = opts.cwd ?? w.root;
  const env = childEnv(w, opts.env);
  const before = records(w);
  const builds = [...before.keys()].map((n) => (JSON.parse(fs.readFileSync(path.join(answersDir(w), n), "utf8")) as { build: string }).build);
  const held = builds.some((b) => findAnswer(b, args, env, fs.realpathSync(cwd)) !== undefined);
  const r = sh(w, cwd, path.resolve("bin/tix"), args, opts.env);
  const after = records(w);
  const untouched = before.size === after.size && [...before].every(([n, ino]) => after.get(n) === ino);
  return { ...r, fast: held && untouched };
}

function setUp(): { w: World; dir: string; dep2: string; store: string } {
  const w = world();
  const { dir, dep2 } = packagesFlake(w);
  const store = path.join(w.root, "store");
  const lock = run(w, ["flake", "lock", "--store", store, `path:${dir}`]);
  assert.equal(lock.status, 0, lock.stderr);
  settle(dir);
  return { w, dir, dep2, store };
}

/** Runs `args` until the small entry answers (the first runs lock and record). */
function untilFast(w: World, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  for (let i = 0; i < 4; i++) {
    const r = run(w, args, opts);
    assert.equal(r.status, 0, r.stderr);
    if (r.fast) return r;
  }
  throw new Error(`'tix ${args.join(" ")}' was never answered by the small entry`);
}

/** What the full CLI prints when it evaluates everything again. */
function uncached(w: World, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const r = run(w, [...args, "--no-eval-cache"], opts);
  assert.equal(r.status, 0, r.stderr);
  return r;
}

function assertSameOutput(a: Run, b: Run): void {
  assert.equal(a.status, b.status);
  assert.equal(a.stdout, b.stdout);
  assert.equal(a.stderr, b.stderr);
}

test("fast answer: prints exactly what the CLI prints, for every option separately", () => {
  const { w, dir, store } = setUp();
  for (const extra of [[], ["--json"], ["--all-systems"], ["--json", "--all-systems"], ["--legacy"]]) {
    const args = ["flake", "show", "--store", store, `path:${dir}`, ...extra];
    const fast = untilFast(w, args);
    assertSameOutput(fast, uncached(w, args));
    assertSameOutput(run(w, args), fast);
  }
  // `--json` warns about omitted systems on stderr: replayed too.
  const json = untilFast(w, ["flake", "show", "--json", "--store", store, `path:${dir}`]);
  assert.match(json.stderr, /warning: packages\.aarch64-linux\.other omitted/);
  // The store given first (`tix --store DIR flake show`) is the same command.
  const first = untilFast(w, ["--store", store, "flake", "show", `path:${dir}`]);
  assertSameOutput(first, uncached(w, ["flake", "show", "--store", store, `path:${dir}`]));
  // Another store is another command line: the CLI answers it (from its evaluation cache).
  const other = run(w, ["flake", "show", "--store", path.join(w.root, "store2"), `path:${dir}`]);
  assert.equal(other.fast, false);
  assert.equal(other.stdout, first.stdout);
});

test("fast answer: a changed file (same size and mtime), a new file or a changed flake.lock is never answered from the record", () => {
  const { w, dir, dep2, store } = setUp();
  const args = ["flake", "show", "--store", store, `path:${dir}`];
  untilFast(w, args);

  const file = path.join(dir, "flake.nix");
  const st = fs.statSync(file);
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`bb = mk "bb"`, `cc = mk "cc"`));
  fs.utimesSync(file, st.atime, st.mtime);
  let r = run(w, args);
  assert.equal(r.fast, false);
  assert.match(r.stdout, /cc: package 'cc'/);
  assertSameOutput(r, uncached(w, args));
  settle(dir);
  r = untilFast(w, args);
  assert.match(r.stdout, /cc: package 'cc'/);

  const header = r.stdout.split("\n")[0];
  fs.writeFileSync(path.join(dir, "README"), "hello\n");
  r = run(w, args);
  assert.equal(r.fast, false);
  assert.notEqual(r.stdout.split("\n")[0], header);
  assertSameOutput(r, uncached(w, args));

  settle(dir);
  untilFast(w, args);
  const lockFile = path.join(dir, "flake.lock");
  const lock = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { nodes: Record<string, { locked: Record<string, unknown> }> };
  const prefetch = run(w, ["flake", "prefetch", "--json", "--store", store, `path:${dep2}`]);
  lock.nodes["dep"]!.locked = { ...(JSON.parse(prefetch.stdout) as { locked: Record<string, unknown> }).locked };
  fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2) + "\n");
  r = run(w, args);
  assert.equal(r.fast, false);
  assert.match(r.stdout, /fromDep: package 'from-dep2'/);
  assertSameOutput(r, uncached(w, args));
});

test("fast answer: another environment (TIX_SYSTEM, NIX_CONFIG, registries, anything) is answered by the CLI", () => {
  const { w, dir, store } = setUp();
  const args = ["flake", "show", "--store", store, `path:${dir}`];
  const x86 = untilFast(w, args);
  assert.match(x86.stdout, /aa: package 'aa'/);

  const arm = { TIX_SYSTEM: "aarch64-linux" };
  let r = run(w, args, { env: arm });
  assert.equal(r.fast, false);
  assert.match(r.stdout, /other: package 'other'/);
  assertSameOutput(r, uncached(w, args, { env: arm }));
  assertSameOutput(untilFast(w, args, { env: arm }), r);

  const registry = path.join(w.root, "other-registry.json");
  fs.writeFileSync(registry, '{"flakes":[],"version":2}');
  for (const env of [
    { NIX_CONFIG: `${w.env["NIX_CONFIG"]}\naccept-flake-config = true` },
    { TIX_GLOBAL_REGISTRY: registry },
    { SOME_UNRELATED_VARIABLE: "1" },
  ]) {
    r = run(w, args, { env });
    assert.equal(r.fast, false, JSON.stringify(env));
    assertSameOutput(r, x86);
  }
  // Back in the first environment, whose record the others replaced: the CLI again, then fast.
  assert.equal(run(w, args).fast, false);
  assertSameOutput(untilFast(w, args), x86);
});

test("fast answer: a bare path is answered only while its parse would find the same flake", () => {
  const { w, dir } = setUp();
  const sub = path.join(dir, "sub");
  fs.mkdirSync(sub);
  settle(dir);
  const store = path.join(w.root, "store");
  const args = ["flake", "show", "--store", store, "."];
  // From a subdirectory without flake.nix: the parent's flake, with a notice on stderr.
  const up = untilFast(w, args, { cwd: sub });
  assert.match(up.stderr, /does not contain a 'flake\.nix', searching up/);
  assert.match(up.stdout, /aa: package 'aa'/);
  assertSameOutput(up, uncached(w, args, { cwd: sub }));
  // From the flake's own directory: another record.
  const here = untilFast(w, args, { cwd: dir });
  assert.equal(here.stderr, "");
  assert.equal(here.stdout, up.stdout);

  // A .git directory above the flake turns `.` into a git+file reference, outside the flake's
  // tree (so its stamp): the recorded probes see it.
  const git = path.join(w.root, ".git");
  fs.mkdirSync(git);
  const r = run(w, args, { cwd: sub });
  assert.equal(r.fast, false);
  assert.notEqual(r.status === 0 ? r.stdout : "failed", up.stdout);
  fs.rmdirSync(git);
  assertSameOutput(run(w, args, { cwd: sub }), up);
});

test("fast answer: flake metadata (and info, --json) prints what the CLI prints, and a change is seen at once", () => {
  const { w, dir, store } = setUp();
  for (const cmd of [["metadata"], ["info"], ["metadata", "--json"]]) {
    const args = ["flake", ...cmd, "--store", store, `path:${dir}`];
    const fast = untilFast(w, args);
    assert.match(fast.stdout, /path:.*narHash/);
    assertSameOutput(fast, uncached(w, args));
  }
  const args = ["flake", "metadata", "--store", store, `path:${dir}`];
  const before = untilFast(w, args);
  assert.match(before.stdout, /Last modified: /);
  // Local times: another TZ is another environment.
  const tz = run(w, args, { env: { TZ: "Asia/Tokyo" } });
  assert.equal(tz.fast, false);
  assertSameOutput(tz, uncached(w, args, { env: { TZ: "Asia/Tokyo" } }));

  const file = path.join(dir, "flake.nix");
  const st = fs.statSync(file);
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`description = "packages"`, `description = "packageX"`));
  fs.utimesSync(file, st.atime, st.mtime);
  const after = run(w, args);
  assert.equal(after.fast, false);
  assert.match(after.stdout, /Description: +packageX/);
  assertSameOutput(after, uncached(w, args));
  assert.notEqual(after.stdout, before.stdout);
});

test("fast answer: flake metadata is answered by the CLI again once the flake's copy left the store", () => {
  const { w, dir, store } = setUp();
  const args = ["flake", "metadata", "--json", "--store", store, `path:${dir}`];
  const before = untilFast(w, args);
  const storePath = (JSON.parse(before.stdout) as { path: string }).path;
  const copy = path.join(store, storePath);
  assert.ok(fs.existsSync(copy));
  // Garbage collection takes the unrooted copy; the answer that names it must make it again.
  const gc = run(w, ["store", "gc", "--store", store]);
  assert.equal(gc.status, 0, gc.stderr);
  assert.equal(fs.existsSync(copy), false);
  const after = run(w, args);
  assert.equal(after.fast, false);
  assertSameOutput(after, before);
  assert.ok(fs.existsSync(copy));
  // A store removed altogether: the same.
  untilFast(w, args);
  fs.rmSync(store, { recursive: true, force: true });
  assert.equal(run(w, args).fast, false);
  assert.ok(fs.existsSync(copy));
});

test("fast answer and CLI: a full disk on stdout ends with status 1 and a one-line error, not a stack trace", { skip: !fs.existsSync("/dev/full") }, () => {
  const { w, dir, store } = setUp();
  const args = ["flake", "show", "--store", store, `path:${dir}`];
  untilFast(w, args);
  for (const extra of [[], ["--no-eval-cache"]]) {
    const full = fs.openSync("/dev/full", "w");
    try {
      const r = spawnSync(path.resolve("bin/tix"), [...args, ...extra], { cwd: w.root, env: childEnv(w), stdio: ["ignore", full, "pipe"], encoding: "utf8" });
      assert.equal(r.status, 1, extra.join(" "));
      assert.equal(r.stderr, "error: cannot write to standard output: ENOSPC: no space left on device, write\n");
    } finally {
      fs.closeSync(full);
    }
  }
});

test("fast answer: a damaged or foreign record is never printed; the CLI answers", () => {
  const { w, dir, store } = setUp();
  const args = ["flake", "show", "--store", store, `path:${dir}`];
  const good = untilFast(w, args);
  const [name] = [...records(w).keys()];
  const file = path.join(answersDir(w), name!);
  const text = fs.readFileSync(file, "utf8");
  const record = JSON.parse(text) as Record<string, unknown>;
  for (const damaged of [
    text.slice(0, text.length >> 1),
    "",
    "null",
    "[]",
    JSON.stringify({ ...record, writes: "garbage" }),
    JSON.stringify({ ...record, writes: [[1, 42]] }),
    JSON.stringify({ ...record, writes: [[3, "x"]] }),
    JSON.stringify({ ...record, probes: 7 }),
    JSON.stringify({ ...record, argv: null }),
  ]) {
    fs.writeFileSync(file, damaged);
    const r = sh(w, w.root, path.resolve("bin/tix"), args);
    assertSameOutput({ ...r, fast: false }, good);
  }
});

/** The words of a shell command line. */
const shellQuote = (args: string[]): string => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");

test("fast answer: in a terminal, the coloured answer is recorded and replayed apart from the plain one", { skip: !fs.existsSync("/usr/bin/script") }, () => {
  const { w, dir, store } = setUp();
  const args = ["flake", "show", "--store", store, `path:${dir}`];
  // util-linux script(1) gives the command a pseudo-terminal and copies what it prints.
  const inTerminal = (extra: string[] = []) => {
    const r = sh(w, w.root, "/usr/bin/script", ["-qec", `${shellQuote([path.resolve("bin/tix"), ...args, ...extra])}`, "/dev/null"]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const coloured = [inTerminal(), inTerminal(), inTerminal()];
  // Recorded by now (lock, then cache hit): the next run leaves the record alone, being fast.
  const before = records(w);
  coloured.push(inTerminal());
  assert.deepEqual(records(w), before);
  assert.match(coloured[0]!, /\x1b\[1m/);
  for (const out of coloured) assert.equal(out, inTerminal(["--no-eval-cache"]));
  const recorded = [...records(w).keys()].map(
    (n) => JSON.parse(fs.readFileSync(path.join(answersDir(w), n), "utf8")) as { terminal: boolean; argv: string[] },
  );
  assert.ok(recorded.some((r) => r.terminal && JSON.stringify(r.argv) === JSON.stringify(args)), "a record made in the terminal");
  // A pipe gets the plain tree, from the CLI first (the record is the terminal's).
  const plain = run(w, args);
  assert.equal(plain.fast, false);
  assert.doesNotMatch(plain.stdout, /\x1b\[/);
  assertSameOutput(untilFast(w, args), plain);
});

test("fast answer: the records are pruned to the newest when there are too many", () => {
  const dir = fs.mkdtempSync(path.join(process.env["TMPDIR"] ?? "/tmp", "tix-answers-"));
  try {
    const total = MAX_ANSWERS + 10;
    for (let i = 0; i < total; i++) {
      const f = path.join(dir, `${String(i).padStart(4, "0")}.json`);
      fs.writeFileSync(f, "{}");
      fs.utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    }
    fs.writeFileSync(path.join(dir, "other.tmp"), "");
    pruneAnswers(dir);
    const left = fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
    const keep = Math.floor((MAX_ANSWERS * 3) / 4);
    assert.equal(left.length, keep);
    assert.equal(left[0], `${String(total - keep).padStart(4, "0")}.json`, "the oldest ones went");
    assert.ok(fs.existsSync(path.join(dir, "other.tmp")), "only records are pruned");
    pruneAnswers(dir); // few enough: nothing more goes
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith(".json")).length, keep);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
