// Running the `git` program synchronously, with an environment that cannot redirect it to another
// repository, and Nix-style errors when it fails.

import { execFileSync, spawnSync } from "node:child_process";
import { FetchError } from "./errors.js";

let cachedEnv: NodeJS.ProcessEnv | undefined;

/** The environment for git, built once per process (reading process.env is slow; locking runs git many times). */
function gitEnv(): NodeJS.ProcessEnv {
  if (cachedEnv !== undefined) return cachedEnv;
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
  for (const k of Object.keys(env)) {
    if (/^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|COMMON_DIR|PREFIX)$/.test(k)) delete env[k];
  }
  cachedEnv = env;
  return env;
}

export interface GitOptions {
  /** Standard output goes to this file descriptor instead of being returned. */
  readonly stdoutFd?: number;
}

/** Runs git; returns its standard output (bytes); throws FetchError with its stderr on failure. */
export function gitBytes(args: readonly string[], opts: GitOptions = {}): Buffer {
  const r = spawnSync("git", args, {
    env: gitEnv(),
    stdio: ["ignore", opts.stdoutFd ?? "pipe", "pipe"],
    maxBuffer: 1 << 30,
  });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new FetchError(code === "ENOENT" ? "cannot run 'git': it is not installed (or not in PATH)" : `cannot run 'git': ${r.error.message}`);
  }
  if (r.status !== 0) {
    const err = r.stderr.toString().trim();
    throw new FetchError(`${err === "" ? "" : err + "\n"}program 'git' failed with exit code ${r.status ?? `signal ${r.signal}`}`);
  }
  return r.stdout ?? Buffer.alloc(0);
}

/** Runs git; returns its standard output as text without the trailing newline. */
export function git(args: readonly string[]): string {
  return gitBytes(args).toString("utf8").replace(/\n$/, "");
}

/** Runs git and reports only whether it exited with status 0 (other failures throw). */
export function gitSucceeds(args: readonly string[], okStatuses: readonly number[] = [0, 1]): boolean {
  const r = spawnSync("git", args, { env: gitEnv(), stdio: ["ignore", "ignore", "pipe"] });
  if (r.error !== undefined) throw new FetchError(`cannot run 'git': ${r.error.message}`);
  if (r.status !== null && okStatuses.includes(r.status)) return r.status === 0;
  throw new FetchError(`${r.stderr.toString().trim()}\nprogram 'git' failed with exit code ${r.status ?? `signal ${r.signal}`}`);
}

/** Whether git is installed. */
export function haveGit(): boolean {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
