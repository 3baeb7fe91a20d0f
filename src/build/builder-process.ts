// Runs a builder as a child process: stdin from /dev/null, stdout and stderr into one pipe (a FIFO,
// so their order is kept), output delivered in chunks; can be killed with its whole process group.

import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";

export interface ProcessResult {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly pid: number | undefined;
  /** Settles once the process has exited and its output is drained. */
  readonly done: Promise<ProcessResult>;
  /** Kills the process and everything in its process group. */
  kill(): void;
}

export interface RunOptions {
  readonly env: ReadonlyMap<string, string>;
  readonly cwd: string;
  readonly onOutput: (chunk: Buffer) => void;
  /** Open file descriptors to pass on as fds 3, 4, … */
  readonly extraFds?: readonly number[];
}

/** Byte strings (one char per byte) back to the strings Node passes to exec (as UTF-8). */
function toOsString(s: string): string {
  return /[\x80-\xff]/.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}

/** Creates a FIFO and opens both ends; null if `mkfifo` is unavailable. */
function openFifo(): { read: number; write: number } | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-log-"));
  const fifo = path.join(dir, "pipe");
  try {
    const r = spawnSync("mkfifo", ["-m", "600", fifo], { stdio: "ignore" });
    if (r.status !== 0) return null;
    const read = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const write = fs.openSync(fifo, fs.constants.O_WRONLY);
    return { read, write };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function runProcess(file: string, args: readonly string[], opts: RunOptions): RunningProcess {
  const env: Record<string, string> = {};
  for (const [k, v] of opts.env) env[toOsString(k)] = toOsString(v);
  const fifo = openFifo();
  let child;
  try {
    child = spawn(file, args.map(toOsString), {
      env,
      cwd: opts.cwd,
      stdio: [...(fifo === null ? (["ignore", "pipe", "pipe"] as const) : (["ignore", fifo.write, fifo.write] as const)), ...(opts.extraFds ?? [])],
      detached: true,
    });
  } finally {
    if (fifo !== null) fs.closeSync(fifo.write);
  }
  const streams: NodeJS.ReadableStream[] =
    fifo === null ? [child.stdout!, child.stderr!] : [new net.Socket({ fd: fifo.read, readable: true, writable: false })];
  const pid = child.pid;
  const killGroup = (): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const drained = Promise.all(
    streams.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.on("data", (c: Buffer) => opts.onOutput(c));
          s.on("close", () => resolve());
          s.on("error", () => resolve());
        }),
    ),
  );
  const exited = new Promise<ProcessResult>((resolve) => {
    child.on("error", (e) => {
      opts.onOutput(Buffer.from(`error: executing '${file}': ${e.message}\n`));
      resolve({ code: 127, signal: null });
    });
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  const done = exited.then(async (r) => {
    // Whatever the builder left running in its group must not keep the log pipe open.
    killGroup();
    await drained;
    return r;
  });
  return { pid, done, kill: killGroup };
}

/** `signal 9 (Killed)` style descriptions for failure messages. */
export function describeSignal(signal: NodeJS.Signals): string {
  const num = os.constants.signals[signal] ?? 0;
  const names: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: "Killed",
    SIGTERM: "Terminated",
    SIGSEGV: "Segmentation fault",
    SIGABRT: "Aborted",
    SIGINT: "Interrupt",
    SIGHUP: "Hangup",
    SIGPIPE: "Broken pipe",
    SIGBUS: "Bus error",
    SIGFPE: "Floating point exception",
    SIGILL: "Illegal instruction",
  };
  return `signal ${num} (${names[signal] ?? signal})`;
}
