// The base flake's `lib` (flakes/base/lib), written in Nix, must evaluate the same under tix as
// under real Nix. Each test/base/lib/NAME.nix is evaluated with `instantiate --eval --strict`:
//   NAME.exp         expected stdout (recorded from nix-instantiate 2.8)
//   NAME.stderr.exp  expected warnings/traces (normalised, see below), when the case prints any
//   NAME.err.exp     expected error message (the case must fail)
//   NAME.err28.exp   what Nix 2.8 says instead, where modern Nix (and tix) words it differently
// When nix-instantiate is on PATH the recordings are also checked against it, so they cannot
// drift; with TIX_BASE_LIB_RECORD=1 that check rewrites them instead (never .err.exp files that
// have an .err28.exp beside them).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkoutRoot, Limiter, runAsync, type AsyncRun } from "../test-support.js";

const root = fs.realpathSync(checkoutRoot());
const caseDir = path.join(root, "test", "base", "lib");
const tixBin = path.join(root, "bin", "tix");
const recording = process.env.TIX_BASE_LIB_RECORD === "1";
const env: NodeJS.ProcessEnv = { ...process.env, NIX_PATH: "", NIX_ABORT_ON_WARN: "" };
const BATCH_TIMEOUT_MS = 120_000;
const CASE_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Cases

interface Case {
  name: string;
  file: string;
  expectsError: boolean;
  checksStderr: boolean;
}

const exists = (name: string) => fs.existsSync(path.join(caseDir, name));
const read = (name: string) => fs.readFileSync(path.join(caseDir, name), "utf8");

const cases: Case[] = fs
  .readdirSync(caseDir)
  .filter((f) => f.endsWith(".nix"))
  .sort()
  .map((f) => {
    const name = f.slice(0, -4);
    return {
      name,
      file: path.join(caseDir, f),
      expectsError: exists(`${name}.err.exp`),
      checksStderr: exists(`${name}.stderr.exp`),
    };
  });

// ---------------------------------------------------------------------------------------------
// Processes

type RunResult = AsyncRun;

function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return runAsync(cmd, args, { cwd: caseDir, env, timeoutMs, encoding: "utf8" });
}

const limiter = new Limiter(Math.max(2, Math.min(4, os.availableParallelism?.() ?? 2)));

function tempStore(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tix-base-lib-${label}-`));
  // Created while a test runs, where an `after` hook would not fire: remove it when the file's
  // tests end.
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One evaluator: the command and arguments that behave like `nix-instantiate --store DIR`. */
interface Evaluator {
  cmd: string;
  prefix: string[];
}

/** Evaluates every case once: cases that should succeed silently share one process. */
class Results {
  private readonly results = new Map<string, Promise<RunResult>>();

  constructor(private readonly evaluator: Evaluator) {
    const single = (c: Case) => limiter.run(() => this.evaluate([c.file], CASE_TIMEOUT_MS));
    // Recording needs each case's own stderr, so nothing shares a process then.
    const batch = recording ? [] : cases.filter((c) => !c.expectsError && !c.checksStderr);
    const together = batch.length > 0 ? limiter.run(() => this.evaluate(batch.map((c) => c.file), BATCH_TIMEOUT_MS)) : undefined;
    for (const c of cases) {
      if (!batch.includes(c)) {
        this.results.set(c.name, single(c));
        continue;
      }
      const index = batch.indexOf(c);
      // One output line per file; when the shared process fails, each case is re-run alone.
      this.results.set(
        c.name,
        together!.then((r) => {
          const lines = r.stdout.split("\n");
          if (r.code === 0 && lines.length === batch.length + 1) return { code: 0, stdout: lines[index] + "\n", stderr: "" };
          return single(c);
        }),
      );
    }
  }

  private evaluate(files: string[], timeoutMs: number): Promise<RunResult> {
    return run(this.evaluator.cmd, [...this.evaluator.prefix, "--eval", "--strict", ...files], timeoutMs);
  }

  get(name: string): Promise<RunResult> {
    return this.results.get(name)!;
  }
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/** The checkout path never appears in recordings. */
function withoutRoot(text: string): string {
  return text.split(root).join("@ROOT@");
}

/**
 * The message of the final `error:` in stderr, lines stripped of trailing blanks, without the
 * position and code frame that follow it. Nix 2.8 prints only that error and indents the
 * message's continuation lines by 7 columns; modern Nix and tix print traces first.
 */
function errorMessage(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.replace(/\s+$/, ""));
  let start = -1;
  for (let i = 0; i < lines.length; i++) if (/^\s*error:( |$)/.test(lines[i])) start = i;
  if (start < 0) return undefined;
  const message = [lines[start].replace(/^\s*error: ?/, "")];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("(use '--show-trace'") || /^\s*at .*:\d+:\d+:$/.test(line) || /^\s*… /.test(line)) break;
    message.push(line);
  }
  const rest = message.slice(1);
  const indented = rest.filter((l) => l !== "").every((l) => l.startsWith("       "));
  const text = [message[0], ...(indented ? rest.map((l) => l.slice(7)) : rest)].join("\n");
  return withoutRoot(text.replace(/\n+$/, ""));
}

/**
 * Warnings and traces: colour codes removed; `trace: evaluation warning:` (the lib's fallback
 * on Nix without builtins.warn) and `evaluation warning:` (builtins.warn) count as the same.
 */
function diagnostics(stderr: string): string {
  return withoutRoot(
    stderr
      .replace(/\x1b\[[0-9;]*m/g, "")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.replace(/^trace: evaluation warning: /, "evaluation warning: "))
      .join("\n"),
  );
}

function describeRun(r: RunResult): string {
  return `exit ${r.code ?? "(killed)"}${r.stderr ? `; stderr:\n${r.stderr.slice(-3000)}` : ""}`;
}

function checkAgainstRecording(c: Case, r: RunResult, errorFile: string, stderrInAnyOrder = false): void {
  if (c.expectsError) {
    assert.notEqual(r.code, 0, `expected ${c.name} to fail; ${describeRun(r)}`);
    assert.equal(errorMessage(r.stderr), read(errorFile).replace(/\n$/, ""), describeRun(r));
    return;
  }
  assert.equal(r.code, 0, describeRun(r));
  assert.equal(withoutRoot(r.stdout), read(`${c.name}.exp`));
  if (c.checksStderr) {
    const sorted = (t: string): string => (stderrInAnyOrder ? t.split("\n").sort().join("\n") : t);
    assert.equal(sorted(diagnostics(r.stderr)), sorted(read(`${c.name}.stderr.exp`).replace(/\n$/, "")));
  }
}

function record(c: Case, r: RunResult): void {
  const write = (name: string, text: string) => fs.writeFileSync(path.join(caseDir, name), text);
  const remove = (name: string) => fs.rmSync(path.join(caseDir, name), { force: true });
  if (r.code !== 0) {
    const message = errorMessage(r.stderr);
    assert.ok(message !== undefined, `${c.name}: no error message; ${describeRun(r)}`);
    write(exists(`${c.name}.err28.exp`) ? `${c.name}.err28.exp` : `${c.name}.err.exp`, message + "\n");
    remove(`${c.name}.exp`);
    remove(`${c.name}.stderr.exp`);
    return;
  }
  write(`${c.name}.exp`, withoutRoot(r.stdout));
  const printed = diagnostics(r.stderr);
  if (printed !== "") write(`${c.name}.stderr.exp`, printed + "\n");
  else remove(`${c.name}.stderr.exp`);
  remove(`${c.name}.err.exp`);
}

// ---------------------------------------------------------------------------------------------
// Tests

const tixMissing = !fs.existsSync(path.join(root, "dist", "src", "cli", "main.js"));
const haveNix = spawnSync("nix-instantiate", ["--version"], { encoding: "utf8" }).status === 0;

// Both evaluators start at once (their processes share the limiter); recording needs only Nix.
let tixResults: Results | undefined;
let nixResults: Results | undefined;
function startAll(): void {
  if (!tixMissing && !recording) tixResults ??= new Results({ cmd: tixBin, prefix: ["instantiate", "--store", tempStore("tix")] });
  if (haveNix) nixResults ??= new Results({ cmd: "nix-instantiate", prefix: ["--store", tempStore("nix")] });
}

describe("base lib under tix", () => {
  for (const c of cases) {
    test(c.name, { skip: tixMissing && "tix is not built (npm run build)" }, async () => {
      if (!c.expectsError && !exists(`${c.name}.exp`)) assert.fail(`${c.name}.nix has no recorded expectation`);
      startAll();
      assert.ok(tixResults, "tix is not run while recording");
      checkAgainstRecording(c, await tixResults.get(c.name), `${c.name}.err.exp`);
    });
  }
});

describe("base lib recordings match nix-instantiate", () => {
  for (const c of cases) {
    test(c.name, { skip: !haveNix && "nix-instantiate is not installed" }, async () => {
      startAll();
      const r = await nixResults!.get(c.name);
      if (recording) return record(c, r);
      // Nix 2.8 does not always print traces and warnings in evaluation order.
      checkAgainstRecording(c, r, exists(`${c.name}.err28.exp`) ? `${c.name}.err28.exp` : `${c.name}.err.exp`, true);
    });
  }
});
