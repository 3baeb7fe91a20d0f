// Renders the few source lines around an error position with a caret under the column, the way
// modern Nix shows them below `at FILE:L:C:` (the caller adds the message's indentation).
import type { Source } from "./ast.js";
import { lineColumn, lineText } from "./position.js";

function codeLine(number: number, text: string): string {
  // Nix prints ` %5d| TEXT`; trailing blanks never show in its output.
  return (" " + String(number).padStart(5) + "| " + text).replace(/[ \t]+$/, "");
}

/**
 * The previous line, the error's line, a caret line and the next line, each ending in "\n".
 * Bytes are left as they are (the terminal writer expands tabs like Nix's output filter does).
 */
export function renderCodeFrame(source: Source, offset: number): string {
  const { line, column } = lineColumn(source, offset);
  const current = lineText(source, line);
  if (current === null) return "";
  let out = "";
  if (line > 1) {
    const prev = lineText(source, line - 1);
    if (prev !== null) out += codeLine(line - 1, prev) + "\n";
  }
  out += codeLine(line, current) + "\n";
  out += "      |" + " ".repeat(column) + "^\n";
  const next = lineText(source, line + 1);
  if (next !== null) out += codeLine(line + 1, next) + "\n";
  return out;
}
