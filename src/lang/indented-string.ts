// Indentation stripping for `'' … ''` strings (spec §1.5), done on the token sequence before any
// interpolated value is known.
import type { Expr } from "./ast.js";

/** One piece of an indented string as lexed: literal text or an interpolation. */
export type IndStringPart =
  | { readonly text: string; readonly indented: boolean }
  | { readonly expr: Expr };

/**
 * Removes the common leading-space indentation. Only `indented` text (plain source text, not
 * escapes) counts towards it; escapes and interpolations end a line's leading whitespace. Returns
 * the pieces in order, literal ones as strings, with empty strings dropped.
 */
export function stripIndentation(parts: readonly IndStringPart[]): (string | Expr)[] {
  // Pass 1: the minimum indentation over lines that have content.
  let atStartOfLine = true;
  let minIndent = 1000000;
  let curIndent = 0;
  for (const part of parts) {
    if (!("text" in part) || !part.indented) {
      if (atStartOfLine) {
        atStartOfLine = false;
        if (curIndent < minIndent) minIndent = curIndent;
      }
      continue;
    }
    const s = part.text;
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (atStartOfLine) {
        if (c === 0x20) curIndent++;
        else if (c === 0x0a) curIndent = 0;
        else {
          atStartOfLine = false;
          if (curIndent < minIndent) minIndent = curIndent;
        }
      } else if (c === 0x0a) {
        atStartOfLine = true;
        curIndent = 0;
      }
    }
  }

  // Pass 2: drop up to minIndent leading spaces from every line.
  const out: (string | Expr)[] = [];
  atStartOfLine = true;
  let curDropped = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (!("text" in part)) {
      atStartOfLine = false;
      curDropped = 0;
      out.push(part.expr);
      continue;
    }
    const s = part.text;
    let kept = "";
    let from = 0; // start of the pending run of kept bytes
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (atStartOfLine) {
        if (c === 0x20) {
          if (curDropped++ < minIndent) {
            kept += s.slice(from, j);
            from = j + 1;
          }
        } else if (c === 0x0a) {
          curDropped = 0;
        } else {
          atStartOfLine = false;
          curDropped = 0;
        }
      } else if (c === 0x0a) {
        atStartOfLine = true;
      }
    }
    kept += s.slice(from);
    if (k === parts.length - 1) {
      // A final line of only spaces is dropped (its LF stays).
      const nl = kept.lastIndexOf("\n");
      if (nl >= 0 && /^ *$/.test(kept.slice(nl + 1))) kept = kept.slice(0, nl + 1);
    }
    if (kept !== "") out.push(kept);
  }
  return out;
}
