// Build logs: each build's output is kept under `<state>/log/nix/drvs/XX/REST` (Nix's layout; Nix
// compresses with bzip2, tix writes them plain and reads both), split into lines for the display.

import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import type { LocalStore } from "../store/index.js";

/** The log directory of a store (`/nix/var/log/nix/drvs` under its root). */
export function logDir(store: LocalStore): string {
  return store.toPhysical("/nix/var/log/nix/drvs");
}

/** Where the (uncompressed) log of `drvPath` is written. */
export function logFileFor(store: LocalStore, drvPath: string): string {
  const base = path.basename(drvPath);
  return path.join(logDir(store), base.slice(0, 2), base.slice(2));
}

/** The stored log of `drvPath` (plain or bzip2-compressed), or null if there is none. */
export function readBuildLog(store: LocalStore, drvPath: string): Buffer | null {
  const file = logFileFor(store, drvPath);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (!fs.existsSync(`${file}.bz2`)) return null;
  const r = spawnSync("bzip2", ["-dc", `${file}.bz2`], { maxBuffer: 1 << 30 });
  if (r.status !== 0 || r.error !== undefined) throw new Error(`cannot decompress the build log '${file}.bz2' (is bzip2 installed?)`);
  return r.stdout;
}

/** What a line of builder output was: a log line, or one of Nix's `@nix {…}` structured messages. */
export type LogEvent = { readonly kind: "line"; readonly text: string } | { readonly kind: "phase"; readonly phase: string };

/**
 * One build's log: appends everything to the log file, and splits the output into lines (`\r`
 * restarts a line, as on a terminal) for the display, keeping the last few for error messages.
 */
export class BuildLog {
  private fd: number | null;
  private current = "";
  private readonly tail: string[] = [];

  constructor(
    readonly file: string,
    private readonly tailSize: number,
    private readonly onEvent: (e: LogEvent) => void,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.rmSync(`${file}.bz2`, { force: true });
    } catch {
      // not ours to worry about
    }
    this.fd = fs.openSync(file, "w", 0o644);
  }

  write(chunk: Buffer): void {
    if (this.fd !== null) fs.writeSync(this.fd, chunk);
    const text = chunk.toString("latin1");
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.current += text.slice(start, i);
        this.flushLine();
        start = i + 1;
      } else if (c === 13) {
        this.current = "";
        start = i + 1;
      }
    }
    this.current += text.slice(start);
  }

  /** A line that tix itself adds to the log (e.g. a builtin builder's error). */
  writeLine(line: string): void {
    this.write(Buffer.from(line + "\n", "latin1"));
  }

  private flushLine(): void {
    const line = this.current;
    this.current = "";
    if (line.startsWith("@nix {")) {
      try {
        const msg = JSON.parse(line.slice(5)) as { action?: string; phase?: string };
        if (msg.action === "setPhase" && typeof msg.phase === "string") this.onEvent({ kind: "phase", phase: msg.phase });
      } catch {
        // malformed: ignore like Nix does
      }
      return;
    }
    this.tail.push(line);
    if (this.tail.length > this.tailSize) this.tail.shift();
    this.onEvent({ kind: "line", text: line });
  }

  /** The last lines (at most the tail size). */
  lastLines(): readonly string[] {
    return this.tail;
  }

  close(): void {
    if (this.current !== "") this.flushLine();
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
