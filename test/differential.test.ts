// Differential conformance suite: runs `bin/tix instantiate` over the corpus in test/differential/
// and compares with output recorded from real Nix; when `nix-instantiate` is installed it also checks
// that the recordings still match the live oracle, so the golden files cannot drift.
// Layout, recording and the modern overrides are described in test/differential/README.md.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkoutRoot, Limiter, runAsync, type AsyncRun } from "./test-support.js";

const root = checkoutRoot();
const corpus = fs.realpathSync(path.join(root, "test", "differential"));
const evalDir = path.join(corpus, "eval");
const failDir = path.join(corpus, "eval-fail");
const flagsDir = path.join(corpus, "flags");
const tixBin = path.join(root, "bin", "tix");
const tixMain = path.join(root, "dist", "src", "cli", "main.js");

const NIX_CONFIG = "experimental-features = nix-command flakes\nsubstituters =";
const baseEnv: NodeJS.ProcessEnv = { ...process.env, NIX_CONFIG, NIX_PATH: "" };
const jobs = Math.min(4, Math.max(2, (os.availableParallelism?.() ?? 2) + 1));
const batching = process.env.TIX_DIFF_NO_BATCH !== "1";
const filter = process.env.TIX_DIFF_FILTER;
const BATCH_SIZE = 30;
const CASE_TIMEOUT_MS = 20_000;
const BATCH_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Processes

interface RunResult extends AsyncRun {
  /** Set when the output was taken from a process that evaluated several eval/ files. */
  batched?: boolean;
}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Output is decoded as latin1, i.e. one char per byte, so comparisons with the golden files are byte-exact. */
function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return runAsync(cmd, args, { cwd: opts.cwd, env: opts.env ?? baseEnv, input: opts.input, timeoutMs: opts.timeoutMs ?? CASE_TIMEOUT_MS, encoding: "latin1" });
}

const limiter = new Limiter(jobs);

/** One evaluator under test: the command prefix that behaves like `nix-instantiate --store DIR`. */
interface Instantiate {
  label: string;
  cmd: string;
  prefix: string[];
}

function makeStore(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tix-diff-${label}-store-`));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tixInstantiate(): Instantiate {
  return { label: "tix", cmd: tixBin, prefix: ["instantiate", "--store", makeStore("tix")] };
}

function nixInstantiate(): Instantiate {
  return { label: "nix", cmd: "nix-instantiate", prefix: ["--store", makeStore("nix")] };
}

// ---------------------------------------------------------------------------------------------
// Output handling

function latin1(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}

/** Replaces the absolute case directory by `@DIR@` (the golden files never contain the checkout path). */
function normalise(text: string, dir: string): string {
  return text.split(latin1(dir)).join("@DIR@");
}

/**
 * The text after `error: ` on the last line that starts (after indentation) with `error: `, with
 * the message's continuation lines as printed (indented; up to a blank line or an `at …:` line).
 */
function finalErrorMessage(stderr: string): string | undefined {
  let found: string | undefined;
  let open = false;
  for (const line of stderr.split("\n")) {
    const m = /^\s*error: (.*)$/.exec(line);
    if (m) {
      found = m[1];
      open = true;
    } else if (open && /^ {7}./.test(line) && line.trim() !== "" && !/^\s*at .*:$/.test(line) && !/^ +[0-9]*\| /.test(line)) found += "\n" + line;
    else open = false;
  }
  return found;
}

function readExpected(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, "latin1") : undefined;
}

/** Byte-exact comparison; the failure message shows UTF-8 text unless only the bytes differ. */
function assertSameBytes(actual: string, expected: string, message: string): void {
  if (actual === expected) return;
  const utf8 = (s: string) => Buffer.from(s, "latin1").toString("utf8");
  if (utf8(actual) !== utf8(expected)) assert.equal(utf8(actual), utf8(expected), message);
  assert.equal(actual, expected, message);
}

function describeRun(r: RunResult): string {
  const stderr = Buffer.from(r.stderr, "latin1").toString("utf8").trim();
  return `exit ${r.code ?? "(killed)"}${stderr ? `; stderr:\n${stderr.slice(0, 2000)}` : ""}`;
}

function selected(label: string): boolean {
  return !filter || label.includes(filter);
}

function caseNames(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".nix"))
    .map((f) => f.slice(0, -4))
    .filter((name) => selected(`${path.basename(dir)}/${name}`))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// eval/: `--eval --strict FILE`, batched (several files per process) with per-case fallback

/**
 * Evaluates many files per process: `--eval --strict A B C` prints one line per file (printed
 * values never contain raw newlines). When a process fails, the files it completed keep their
 * lines, the failing file is re-run on its own (for its exit status and stderr), and the rest
 * continue in a new batch.
 */
class EvalRunner {
  private results?: Map<string, Promise<RunResult>>;
  constructor(
    private readonly inst: Instantiate,
    private readonly names: string[],
  ) {}

  get(name: string): Promise<RunResult> {
    this.results ??= this.start();
    return this.results.get(name)!;
  }

  private runFiles(names: string[], timeoutMs: number): Promise<RunResult> {
    const files = names.map((n) => path.join(evalDir, `${n}.nix`));
    return run(this.inst.cmd, [...this.inst.prefix, "--eval", "--strict", ...files], { cwd: evalDir, timeoutMs });
  }

  private start(): Map<string, Promise<RunResult>> {
    const resolvers = new Map<string, (r: RunResult) => void>();
    const results = new Map<string, Promise<RunResult>>();
    for (const n of this.names) results.set(n, new Promise((res) => resolvers.set(n, res)));
    const size = batching ? BATCH_SIZE : 1;
    for (let i = 0; i < this.names.length; i += size) {
      const chunk = this.names.slice(i, i + size);
      void limiter.run(() => this.runChunk(chunk, (n, r) => resolvers.get(n)!(r)));
    }
    return results;
  }

  private async runChunk(chunk: string[], done: (name: string, r: RunResult) => void): Promise<void> {
    let rest = chunk;
    let fruitless = 0;
    while (rest.length > 1 && fruitless < 2) {
      const r = await this.runFiles(rest, BATCH_TIMEOUT_MS);
      const lines = r.stdout.split("\n");
      // A success must print exactly one line per file; anything else can't be attributed safely.
      if (r.code === 0 && lines.length - 1 !== rest.length) break;
      const complete = Math.min(lines.length - 1, rest.length);
      for (let i = 0; i < complete; i++) done(rest[i], { code: 0, stdout: lines[i] + "\n", stderr: "", batched: true });
      if (r.code === 0) return;
      const failed = rest[complete];
      if (failed === undefined) return;
      done(failed, await this.runFiles([failed], CASE_TIMEOUT_MS));
      fruitless = complete === 0 ? fruitless + 1 : 0;
      rest = rest.slice(complete + 1);
    }
    for (const n of rest) done(n, await this.runFiles([n], CASE_TIMEOUT_MS));
  }
}

function evalSuite(inst: Instantiate, against: "target" | "recorded"): void {
  const names = caseNames(evalDir);
  const runner = new EvalRunner(inst, names);
  for (const name of names) {
    test(`eval/${name}`, async () => {
      const exp = readExpected(path.join(evalDir, `${name}.exp`));
      const modern = readExpected(path.join(evalDir, `${name}.modern.exp`));
      const r = await runner.get(name);
      if (against === "recorded" && exp === undefined) {
        assert.ok(modern !== undefined, `eval/${name}: no ${name}.exp or ${name}.modern.exp; run record.mjs`);
        assert.notEqual(r.code, 0, `eval/${name} has no .exp because the oracle is expected to fail on it, but it succeeded`);
        return;
      }
      const expected = against === "target" ? (modern ?? exp) : exp;
      assert.ok(expected !== undefined, `eval/${name}: no expected output; run test/differential/record.mjs`);
      assert.equal(r.code, 0, `eval/${name}: ${inst.label} failed: ${describeRun(r)}`);
      const note = r.batched ? " (evaluated in a batch; TIX_DIFF_NO_BATCH=1 runs each file alone)" : "";
      assertSameBytes(normalise(r.stdout, evalDir), expected, `eval/${name}: stdout of ${inst.label}${note}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// eval-fail/: `--eval --strict FILE` must fail with a given final `error:` line (and position)

function failSuite(inst: Instantiate, against: "target" | "recorded"): void {
  const names = caseNames(failDir);
  let runs: Map<string, Promise<RunResult>> | undefined;
  const result = (name: string) => {
    runs ??= new Map(
      names.map((n) => [
        n,
        limiter.run(() =>
          run(inst.cmd, [...inst.prefix, "--eval", "--strict", path.join(failDir, `${n}.nix`)], { cwd: failDir }),
        ),
      ]),
    );
    return runs.get(name)!;
  };
  for (const name of names) {
    test(`eval-fail/${name}`, async () => {
      const target = readExpected(path.join(failDir, `${name}.err.exp`));
      const v28 = readExpected(path.join(failDir, `${name}.err28.exp`));
      const pos = readExpected(path.join(failDir, `${name}.pos`))?.trim();
      const expected = against === "target" ? target : (v28 ?? target);
      assert.ok(expected !== undefined, `eval-fail/${name}: no ${name}.err.exp; run test/differential/record.mjs`);
      const r = await result(name);
      const succeeded = /^\(exit 0\) ([^]*)$/.exec(expected);
      if (succeeded) {
        assert.equal(r.code, 0, `eval-fail/${name}: ${inst.label} was recorded to succeed: ${describeRun(r)}`);
        assertSameBytes(normalise(r.stdout, failDir), succeeded[1], `eval-fail/${name}: stdout of ${inst.label}`);
        return;
      }
      const stderr = normalise(r.stderr, failDir);
      assert.equal(r.code, 1, `eval-fail/${name}: expected exit status 1 from ${inst.label}, got ${describeRun(r)}`);
      const message = finalErrorMessage(stderr);
      assertSameBytes(message ?? `(no "error: " line in stderr)\n${stderr}`, expected.replace(/\n$/, ""), `eval-fail/${name}: final error line of ${inst.label}`);
      if (pos) {
        const at = new RegExp(` at \\S*/${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.nix:${pos}(?![0-9])`);
        assert.match(stderr, at, `eval-fail/${name}: stderr of ${inst.label} should give the position ${name}.nix:${pos}`);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// flags/: command-line modes, as a table in flags/cases.json

interface Expectation {
  stdout?: string;
  exit?: number;
  error?: string;
}

interface FlagCase extends Expectation {
  name: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Modern Nix (and tix) differ from the 2.8 recording here; why says how. */
  modern?: Expectation;
  why?: string;
}

function flagsSuite(inst: Instantiate, against: "target" | "recorded"): void {
  const cases = (JSON.parse(fs.readFileSync(path.join(flagsDir, "cases.json"), "utf8")) as FlagCase[]).filter((c) =>
    selected(`flags/${c.name}`),
  );
  const subst = (s: string) => s.split("@DIR@").join(flagsDir);
  let runs: Map<string, Promise<RunResult>> | undefined;
  const result = (c: FlagCase) => {
    runs ??= new Map(
      cases.map((k) => {
        const env = { ...baseEnv, ...Object.fromEntries(Object.entries(k.env ?? {}).map(([n, v]) => [n, subst(v)])) };
        const opts = { cwd: path.join(flagsDir, k.cwd ?? "."), env, input: k.stdin };
        return [k.name, limiter.run(() => run(inst.cmd, [...inst.prefix, ...k.args.map(subst)], opts))];
      }),
    );
    return runs.get(c.name)!;
  };
  for (const c of cases) {
    test(`flags/${c.name}`, async () => {
      const want: Expectation = against === "target" ? { ...c, ...c.modern } : c;
      assert.ok(want.stdout !== undefined && want.exit !== undefined, `flags/${c.name}: not recorded; run test/differential/record.mjs`);
      const r = await result(c);
      const utf8 = (s: string) => Buffer.from(s, "latin1").toString("utf8");
      const stdout = utf8(normalise(r.stdout, flagsDir));
      const stderr = utf8(normalise(r.stderr, flagsDir));
      const label = `flags/${c.name} (${inst.label} ${c.args.join(" ")})`;
      assert.equal(r.code, want.exit, `${label}: exit status; ${describeRun(r)}`);
      assert.equal(stdout, want.stdout, `${label}: stdout`);
      if (want.exit !== 0 && want.error !== undefined) assert.equal(finalErrorMessage(stderr), want.error, `${label}: final error line`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The suites

function hasOracle(): boolean {
  const r = spawnSync("nix-instantiate", ["--version"], { encoding: "utf8", env: baseEnv });
  return r.status === 0;
}

/**
 * Why the tix part can't run yet, or false when it can: before the evaluator lands, main.js is
 * missing or the CLI still says the command is not implemented. Any other failure runs the cases
 * (and fails loudly).
 */
function tixSkipReason(): string | false {
  if (!fs.existsSync(tixMain)) return "dist/src/cli/main.js is not built yet";
  const probe = spawnSync(tixBin, ["instantiate", "--eval", "-E", "1 + 1"], { encoding: "utf8", env: baseEnv, timeout: CASE_TIMEOUT_MS });
  const said = `${probe.stdout ?? ""}${probe.stderr ?? ""}`;
  if (probe.status !== 0 && /not (yet )?implemented|unknown (sub)?command/i.test(said))
    return `\`tix instantiate\` is not implemented yet (it said ${JSON.stringify(said.trim().slice(0, 100))})`;
  return false;
}

const tixSkip = tixSkipReason();
describe("differential: tix instantiate vs expected output", { skip: tixSkip }, () => {
  if (tixSkip) return;
  const tix = tixInstantiate();
  describe("eval", () => evalSuite(tix, "target"));
  describe("eval-fail", () => failSuite(tix, "target"));
  describe("flags", () => flagsSuite(tix, "target"));
});

const oracleSkip = hasOracle() ? false : "nix-instantiate is not on PATH";
describe("differential: recorded output vs live nix-instantiate", { skip: oracleSkip }, () => {
  if (oracleSkip) return;
  const nix = nixInstantiate();
  describe("eval", () => evalSuite(nix, "recorded"));
  describe("eval-fail", () => failSuite(nix, "recorded"));
  describe("flags", () => flagsSuite(nix, "recorded"));
});
