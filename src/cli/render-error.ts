// Renders evaluation and parse errors the way modern Nix prints them (message, position, code
// frame, trace), for stderr.
import { renderCodeFrame } from "../lang/code-frame.js";
import { ParseError } from "../lang/errors.js";
import { formatPosition } from "../lang/position.js";
import { utf8Bytes } from "../lang/tokens.js";
import { EvalError, type TraceFrame } from "../eval/errors.js";
import type { Pos } from "../eval/value.js";

const INDENT = "       ";
const ELLIPSIS = utf8Bytes("\u2026");

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

/**
 * `HEAD message` where the message's later lines are indented by the width of `error: ` like Nix
 * (blank lines stay empty, trailing newlines are dropped, a message starting with a newline leaves
 * `HEAD` alone on its line).
 */
function headed(head: string, message: string): string {
  const lines = message.replace(/\n+$/, "").split("\n");
  const first = lines[0] === "" ? head : `${head} ${lines[0]}`;
  return [first, ...lines.slice(1).map((l) => (l === "" ? l : INDENT + l))].join("\n");
}

function positionBlock(pos: Pos | null, extra = ""): string {
  if (pos === null) return "";
  let out = `${INDENT}${extra}at ${formatPosition(pos.source, pos.offset)}:\n`;
  const frame = renderCodeFrame(pos.source, pos.offset);
  if (frame) out += indent(frame.replace(/\n$/, ""), INDENT) + "\n";
  return out;
}

/**
 * Without --show-trace, Nix stops printing frames once this much context is shown (a frame
 * counts one, its position one more), keeping only builtins.addErrorContext's frames after it.
 */
const TRACE_BUDGET = 3;
/** Longer runs of frames already shown collapse into "(N duplicate frames omitted)". */
const MAX_REPEATED_FRAMES = 5;

function frameBlock(f: TraceFrame): string {
  return `${INDENT}${headed(ELLIPSIS, f.message)}\n` + (f.pos ? positionBlock(f.pos, "  ") : "") + "\n";
}

function frameKey(f: TraceFrame): string {
  return f.pos === null ? `\0${f.message}` : `${formatPosition(f.pos.source, f.pos.offset)}\0${f.message}`;
}

/**
 * The trace (outermost frame first) as modern Nix prints it: cut short after a few frames unless
 * `showTrace` (the outer frames say where evaluation started, the error line says what failed),
 * and repeated frames (deep recursion) collapsed.
 */
function renderTrace(frames: readonly TraceFrame[], showTrace: boolean): string {
  let out = "";
  let shown = 0;
  let truncated = false;
  let seen = new Set<string>();
  let repeated: TraceFrame[] = [];
  const flushRepeated = (): void => {
    if (repeated.length > MAX_REPEATED_FRAMES) {
      out += `${INDENT}(${repeated.length} duplicate frames omitted)\n\n`;
      // Forget what was seen, so a cycle A…B…A shows each part again.
      seen = new Set();
    } else {
      for (const f of repeated) {
        out += frameBlock(f);
        if (f.pos) shown++;
      }
    }
    repeated = [];
  };
  for (const f of frames) {
    if (!showTrace && shown > TRACE_BUDGET) truncated = true;
    if (truncated && !f.always) continue;
    const key = frameKey(f);
    if (seen.has(key)) {
      repeated.push(f);
      continue;
    }
    seen.add(key);
    flushRepeated();
    out += frameBlock(f);
    shown += f.pos ? 2 : 1;
  }
  flushRepeated();
  if (truncated) out += `${INDENT}(stack trace truncated; use '--show-trace' to show the full, detailed trace)\n\n`;
  return out;
}

/** The full text to print for an error (ends with a newline). */
export function renderError(e: unknown, showTrace: boolean): string {
  if (e instanceof ParseError) {
    return `${headed("error:", e.message)}\n` + positionBlock({ source: e.source, offset: e.offset });
  }
  if (e instanceof EvalError) {
    const frames = [...e.trace].reverse().filter((f) => (showTrace || !f.detailed) && f.message !== "");
    let out = "";
    if (frames.length === 0) {
      out = `${headed("error:", e.message)}\n` + positionBlock(e.pos);
    } else {
      out = "error:\n" + renderTrace(frames, showTrace);
      out += `${INDENT}${headed("error:", e.message)}\n` + positionBlock(e.pos);
    }
    if (e.hint) out += `${INDENT}${e.hint}\n`;
    return out;
  }
  if (e instanceof RangeError && /call stack/.test(e.message)) {
    return "error: stack overflow (possible infinite recursion)\n";
  }
  if (e instanceof Error) return `${headed("error:", e.message)}\n`;
  return `error: ${String(e)}\n`;
}
