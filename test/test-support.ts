// Shared by the tests under test/: the checkout they test, running a program (and waiting, or
// many at once up to a limit), and whether a program is installed.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest ancestor holding flakes/base/flake.nix (works from dist/test/ too). */
export function checkoutRoot(): string {
  const here = fileURLToPath(import.meta.url);
  let dir = path.dirname(here);
  while (!fs.existsSync(path.join(dir, "flakes", "base", "flake.nix"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the checkout (flakes/base/flake.nix) above " + here);
    dir = parent;
  }
  return dir;
}

/** What a finished program printed, and its status (-1 when it could not run or was killed). */
export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds before the program is killed (default: none). */
  readonly timeout?: number;
}

/** Runs a program to its end; output is decoded as UTF-8. */
export function runProgram(cmd: string, args: readonly string[], opts: RunOptions = {}): Run {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: opts.timeout,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

/** The run's stdout; throws with its stderr when it failed. */
export function ok(r: Run, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** Whether `cmd ARGS` runs and succeeds (by default `cmd --version`). */
export function have(cmd: string, args: string[] = ["--version"]): boolean {
  return spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
}

/** What an asynchronously run program printed; `code` is null when it was killed or could not run. */
export interface AsyncRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AsyncRunOptions {
  readonly cwd: string;
  /** The whole environment (not added to this process's). */
  readonly env: NodeJS.ProcessEnv;
  /** Written to the program's stdin (default: nothing). */
  readonly input?: string;
  readonly timeoutMs: number;
  /** How the output is decoded: latin1 keeps one char per byte, for byte-exact comparisons. */
  readonly encoding: "utf8" | "latin1";
}

/** Runs a program without blocking the test process; a program past its time is killed. */
export function runAsync(cmd: string, args: readonly string[], opts: AsyncRunOptions): Promise<AsyncRun> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout: "", stderr: `cannot run ${cmd}: ${e.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString(opts.encoding);
      resolve({
        code: timedOut ? null : code,
        stdout: Buffer.concat(out).toString(opts.encoding),
        stderr: timedOut ? `${stderr}\n[killed after ${opts.timeoutMs} ms]` : stderr,
      });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

/** Runs at most `limit` jobs at once, in submission order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((wake) => this.waiting.push(wake));
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
