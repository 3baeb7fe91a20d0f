// What the user sees while building: on a terminal, one status line (`[1/3 built] building foo
// (buildPhase): …`) redrawn in place; otherwise plain lines (`building '/nix/store/…drv'...`).
// With -L, build output is printed with a `name> ` prefix either way (colours only on a terminal).

import { filterEscapes } from "./logs.js";

export interface BuildReporter {
  /** How many builds there are in total (for the status line). */
  setTotal(n: number): void;
  started(drvPath: string, name: string, checking: boolean): void;
  logLine(drvPath: string, name: string, line: string): void;
  phase(drvPath: string, phase: string): void;
  finished(drvPath: string, ok: boolean): void;
  /** A message for stderr (an error, a note); ends with a newline. */
  message(text: string): void;
  /** Removes the status line for good. */
  close(): void;
}

/** Writes a byte string to the user's terminal or log (the CLI decides where). */
export type Write = (s: string) => void;

/** Plain output: one line per build start, and the prefixed log lines with -L. */
export class PlainReporter implements BuildReporter {
  constructor(
    private readonly printLogs: boolean,
    private readonly write: Write,
  ) {}
  setTotal(): void {}
  started(drvPath: string, _name: string, checking: boolean): void {
    this.write(checking ? `checking outputs of '${drvPath}'...\n` : `building '${drvPath}'...\n`);
  }
  logLine(_drvPath: string, name: string, line: string): void {
    if (this.printLogs) this.write(`${name}> ${filterEscapes(line)}\n`);
  }
  phase(): void {}
  finished(): void {}
  message(text: string): void {
    this.write(text);
  }
  close(): void {}
}

interface Activity {
  readonly name: string;
  readonly checking: boolean;
  phase: string | null;
  last: string;
}

/** The terminal status line. */
export class TerminalReporter implements BuildReporter {
  private total = 0;
  private built = 0;
  private readonly running = new Map<string, Activity>();
  private shown = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly printLogs: boolean,
    private readonly write: Write,
    /** The terminal width. */
    private readonly columns: () => number,
  ) {}

  setTotal(n: number): void {
    this.total = n;
    this.redraw();
  }

  started(drvPath: string, name: string, checking: boolean): void {
    this.running.set(drvPath, { name, checking, phase: null, last: "" });
    this.redraw();
  }

  logLine(drvPath: string, name: string, line: string): void {
    const a = this.running.get(drvPath);
    if (a !== undefined) a.last = line;
    if (this.printLogs) this.above(`${name}> ${filterEscapes(line, true)}\n`);
    else this.scheduleRedraw();
  }

  phase(drvPath: string, phase: string): void {
    const a = this.running.get(drvPath);
    if (a !== undefined) a.phase = phase;
    this.redraw();
  }

  finished(drvPath: string, ok: boolean): void {
    this.running.delete(drvPath);
    if (ok) this.built++;
    this.redraw();
  }

  message(text: string): void {
    this.above(text);
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.clear();
  }

  private above(text: string): void {
    this.clear();
    this.write(text);
    this.redraw();
  }

  private clear(): void {
    if (this.shown) this.write("\r\x1b[K");
    this.shown = false;
  }

  private scheduleRedraw(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.redraw();
    }, 50);
  }

  /** The status text: counts, then the most recently started build. */
  status(): string {
    let s = `[${this.built}/${this.total} built]`;
    const acts = [...this.running.values()];
    const a = acts[acts.length - 1];
    if (a !== undefined) {
      s += a.checking ? ` checking ${a.name}` : ` building ${a.name}`;
      if (a.phase !== null) s += ` (${a.phase})`;
      if (a.last !== "") s += `: ${a.last.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/[\x00-\x1f]/g, " ")}`;
    }
    return s;
  }

  private redraw(): void {
    if (this.total === 0 && this.running.size === 0) return;
    const width = Math.max(20, this.columns());
    let s = this.status();
    if (s.length > width - 1) s = s.slice(0, width - 1);
    this.write(`\r\x1b[K${s}`);
    this.shown = true;
  }
}
