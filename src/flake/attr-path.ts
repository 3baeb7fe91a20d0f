// Attribute paths as written after `#` in installables (`packages.x86_64-linux."my.pkg"`): split on
// dots, with double quotes protecting dots; the fragment has already been percent-decoded.

import { FlakeError } from "./errors.js";

/**
 * Splits an attribute path the way Nix does: `.` separates elements (so `a..b` has an empty middle
 * element), `"…"` quotes a run of characters (no escapes inside), a trailing empty element is dropped
 * (`a.b.` = `a.b`, `""` = the empty path).
 */
export function parseAttrPath(s: string): string[] {
  const res: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ".") {
      res.push(cur);
      cur = "";
    } else if (c === '"') {
      const close = s.indexOf('"', i + 1);
      if (close < 0) throw new FlakeError(`missing closing quote in selection path '${s}'`);
      cur += s.slice(i + 1, close);
      i = close;
    } else {
      cur += c;
    }
  }
  if (cur !== "") res.push(cur);
  return res;
}

/** Renders an attribute path, quoting elements that are empty or contain `.`, `"` or whitespace. */
export function showAttrPath(path: readonly string[]): string {
  return path.map((e) => (e === "" || /[."\s]/.test(e) ? `"${e}"` : e)).join(".");
}
