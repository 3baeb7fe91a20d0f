// Turning source offsets into 1-based line/byte-column pairs and `FILE:L:C` strings.
import type { Source } from "./ast.js";
import { utf8Bytes } from "./tokens.js";

/** Offsets at which each line starts, per source (computed once, on first use). */
const lineStartCache = new WeakMap<Source, Uint32Array>();

function lineStarts(source: Source): Uint32Array {
  let starts = lineStartCache.get(source);
  if (starts) return starts;
  const text = source.text;
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  starts = new Uint32Array(count);
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts[n++] = i + 1;
  lineStartCache.set(source, starts);
  return starts;
}

/** 1-based line and byte column of `offset` (lines end at LF only, as in Nix). */
export function lineColumn(source: Source, offset: number): { line: number; column: number } {
  const starts = lineStarts(source);
  const off = Math.max(0, Math.min(offset, source.text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: off - starts[lo]! + 1 };
}

/** The text of 1-based line `line` without its LF, or null past the end. */
export function lineText(source: Source, line: number): string | null {
  const starts = lineStarts(source);
  if (line < 1 || line > starts.length) return null;
  const start = starts[line - 1]!;
  const end = line < starts.length ? starts[line]! - 1 : source.text.length;
  return source.text.slice(start, end);
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
