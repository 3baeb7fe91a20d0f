// Turning source offsets into 1-based line/byte-column pairs and `FILE:L:C` strings.
import type { Source } from "./ast.js";
import { utf8Bytes } from "./tokens.js";

/** Offsets at which each line starts, per source (computed once, on first use). */
const lineStartCache = new WeakMap<Source, Uint32Array>();

/**
 * Line starts, where lines end at LF, CRLF or a lone CR (as in Nix's positions and code
 * frames). The array has one extra entry: the end of the text.
 */
function lineStarts(source: Source): Uint32Array {
  let starts = lineStartCache.get(source);
  if (starts) return starts;
  const text = source.text;
  const found: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) found.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      found.push(i + 1);
    }
  }
  found.push(text.length);
  starts = Uint32Array.from(found);
  lineStartCache.set(source, starts);
  return starts;
}

/** 1-based line and byte column of `offset`; lines end at LF, CRLF or CR, as in Nix. */
export function lineColumn(source: Source, offset: number): { line: number; column: number } {
  const starts = lineStarts(source);
  const off = Math.max(0, Math.min(offset, source.text.length));
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: off - starts[lo]! + 1 };
}

/** The text of 1-based line `line` without its line ending, or null past the end. */
export function lineText(source: Source, line: number): string | null {
  const starts = lineStarts(source);
  if (line < 1 || line > starts.length - 1) return null;
  const text = source.text;
  const start = starts[line - 1]!;
  let end = starts[line]!;
  if (line < starts.length - 1) {
    // Drop the line ending (LF, CRLF or CR).
    if (text.charCodeAt(end - 1) === 0x0a) end--;
    if (text.charCodeAt(end - 1) === 0x0d) end--;
  }
  return text.slice(start, end);
}

const STRING_ORIGIN = utf8Bytes("«string»");
const STDIN_ORIGIN = utf8Bytes("«stdin»");

/** The file part of a position: the path, `«string»` or `«stdin»` (a byte string). */
export function originName(source: Source): string {
  if (source.origin === "file") return source.path ?? "";
  return source.origin === "stdin" ? STDIN_ORIGIN : STRING_ORIGIN;
}

/** `FILE:LINE:COLUMN` as Nix prints positions in messages (a byte string). */
export function formatPosition(source: Source, offset: number): string {
  const { line, column } = lineColumn(source, offset);
  return `${originName(source)}:${line}:${column}`;
}
