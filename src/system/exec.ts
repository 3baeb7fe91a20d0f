// Running the host tools the system layer drives (ip, nsenter, bwrap, nft): synchronously,
// with their output captured, failures turned into SystemErrors.

import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { SystemError } from "./errors.js";

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A finished program's exit status as a shell reports it: 128 + the signal's number if one killed it. */
export function exitStatus(r: { readonly status: number | null; readonly signal: NodeJS.Signals | null }): number {
  if (r.status !== null) return r.status;
  return 128 + ((r.signal !== null ? os.constants.signals[r.signal] : undefined) ?? 9);
}

/** Runs `argv`; returns its status and output (never throws for a non-zero status). */
export function run(argv: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const o: SpawnSyncOptions = { encoding: "utf8", input: opts.input, env: opts.env, maxBuffer: 16 * 1024 * 1024 };
  const r = spawnSync(argv[0]!, argv.slice(1), o);
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new SystemError(`cannot run '${argv[0]}': command not found`);
    throw new SystemError(`cannot run '${argv[0]}': ${r.error.message}`);
  }
  return { status: exitStatus(r), stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

/** Runs `argv` and throws (with its stderr) unless it succeeds; returns stdout. */
export function runChecked(argv: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = run(argv, opts);
  if (r.status !== 0) {
    const detail = r.stderr.trim() || r.stdout.trim();
    throw new SystemError(`'${argv.join(" ")}' failed (exit ${r.status})${detail ? `: ${detail}` : ""}`);
  }
  return r.stdout;
}

const whichCache = new Map<string, string | null>();

/** The full path of program `name` on PATH (plus the sbin directories), or null. */
export function findProgram(name: string): string | null {
  const cached = whichCache.get(name);
  if (cached !== undefined) return cached;
  const dirs = [...(process.env["PATH"] ?? "").split(":"), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];
  let found: string | null = null;
  for (const d of dirs) {
    if (d === "") continue;
    const p = `${d}/${name}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      found = p;
      break;
    } catch {
      // not here
    }
  }
  whichCache.set(name, found);
  return found;
}

/** Like findProgram, but a missing program is an error naming the package to install. */
export function requireProgram(name: string, debianPackage: string): string {
  const p = findProgram(name);
  if (p === null) throw new SystemError(`'${name}' is required but not installed (Debian package ${debianPackage})`);
  return p;
}

/** Namespaces, veths and mounts need root: say so plainly instead of failing halfway. */
export function requireRoot(what: string): void {
  if (process.getuid !== undefined && process.getuid() !== 0) throw new SystemError(`${what} requires root`);
}
