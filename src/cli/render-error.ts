// Renders evaluation and parse errors the way modern Nix prints them (message, position, code
// frame, trace), for stderr.
import { renderCodeFrame } from "../lang/code-frame.js";
import { ParseError } from "../lang/errors.js";
import { formatPosition } from "../lang/position.js";
import { utf8Bytes } from "../lang/tokens.js";
import { EvalError } from "../eval/errors.js";
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

/** The full text to print for an error (ends with a newline). */
export function renderError(e: unknown, showTrace: boolean): string {
  if (e instanceof ParseError) {
    return `${headed("error:", e.message)}\n` + positionBlock({ source: e.source, offset: e.offset });
  }
  if (e instanceof EvalError) {
    const frames = [...e.trace].reverse().filter((f) => showTrace || !f.detailed);
    let out = "";
    if (frames.length === 0) {
      out = `${headed("error:", e.message)}\n` + positionBlock(e.pos);
    } else {
      out = "error:\n";
      for (const f of frames) {
        out += `${INDENT}${headed(ELLIPSIS, f.message)}\n`;
        if (f.pos) out += positionBlock(f.pos, "  ");
        out += "\n";
      }
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
