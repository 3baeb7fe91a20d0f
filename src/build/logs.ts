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
 * Removes terminal escape sequences (CSI `ESC [ … final`, and two-byte `ESC X`) and the bell and
 * carriage-return characters from a log line, as Nix does before showing it; `keepColours` keeps
 * the colour (SGR, `ESC [ … m`) sequences, for a terminal.
 */
export function filterEscapes(line: string, keepColours = false): string {
  if (!/[\x1b\x07\r]/.test(line)) return line;
  let out = "";
  let i = 0;
  const at = (): number => line.charCodeAt(i);
  while (i < line.length) {
    const c = line[i]!;
    if (c === "\x1b") {
      const start = i++;
      let final = "";
      if (i < line.length && line[i] === "[") {
        i++;
        while (i < line.length && at() >= 0x30 && at() <= 0x3f) i++;
        while (i < line.length && at() >= 0x20 && at() <= 0x2f) i++;
        if (i < line.length && at() >= 0x40 && at() <= 0x7e) final = line[i++]!;
      } else if (i < line.length && at() >= 0x40 && at() <= 0x5f) {
        i++;
      }
      if (keepColours && final === "m") out += line.slice(start, i);
    } else if (c === "\r" || c === "\x07") {
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * One build's log: appends everything to the log file, and splits the output into lines for the
 * display (`\r` returns to the start of the line, whose characters are then overwritten, as on a
 * terminal and in Nix), keeping the last few, without escape sequences, for error messages.
 */
export class BuildLog {
  private fd: number | null;
  private current = "";
  /** Where the next character goes in `current` (after a `\r`, before its end). */
  private column = 0;
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
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : -1;
      if (c !== 10 && c !== 13 && c !== -1) continue;
      this.put(text.slice(start, i));
      start = i + 1;
      if (c === 10) this.flushLine();
      else if (c === 13) this.column = 0;
    }
  }

  /** Writes `s` at the current column, overwriting what a `\r` went back over. */
  private put(s: string): void {
    if (s === "") return;
    if (this.column >= this.current.length) this.current += s;
    else this.current = this.current.slice(0, this.column) + s + this.current.slice(this.column + s.length);
    this.column += s.length;
  }

  /** A line that tix itself adds to the log (e.g. a builtin builder's error). */
  writeLine(line: string): void {
    this.write(Buffer.from(line + "\n", "latin1"));
  }

  private flushLine(): void {
    const line = this.current;
    this.current = "";
    this.column = 0;
    if (line.startsWith("@nix {")) {
      try {
        const msg = JSON.parse(line.slice(5)) as { action?: string; phase?: string };
        if (msg.action === "setPhase" && typeof msg.phase === "string") this.onEvent({ kind: "phase", phase: msg.phase });
      } catch {
        // malformed: ignore like Nix does
      }
      return;
    }
    this.tail.push(filterEscapes(line));
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
