// Version strings and derivation names as Nix understands them (`splitVersion`,
// `compareVersions`, `parseDrvName`); pure functions on byte strings, also used by `nix-env`-like
// code that picks the newest package version.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSeparator(c: number): boolean {
  return c === 46 /* . */ || c === 45 /* - */;
}

/**
 * The component starting at or after `start` (separators are skipped): a maximal run of digits or
 * a maximal run of bytes that are neither digits nor separators. Returns it and the index after it;
 * the component is "" at the end of the string.
 */
function nextComponent(s: string, start: number): [string, number] {
  let p = start;
  while (p < s.length && isSeparator(s.charCodeAt(p))) p++;
  const from = p;
  if (p < s.length && isDigit(s.charCodeAt(p))) {
    while (p < s.length && isDigit(s.charCodeAt(p))) p++;
  } else {
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (isDigit(c) || isSeparator(c)) break;
      p++;
    }
  }
  return [s.slice(from, p), p];
}

/** `builtins.splitVersion`: `"1.2a3-b"` ⇒ `["1", "2", "a", "3", "b"]`. */
export function splitVersion(version: string): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < version.length) {
    const [c, next] = nextComponent(version, p);
    if (c === "") break;
    out.push(c);
    p = next;
  }
  return out;
}

const INT32_MAX = 2147483647;

/** A component's numeric value when it is all digits and fits a signed 32-bit int. */
function componentNumber(c: string): number | null {
  if (c.length === 0 || c.length > 10) return null;
  for (let i = 0; i < c.length; i++) if (!isDigit(c.charCodeAt(i))) return null;
  const n = Number(c);
  return n <= INT32_MAX ? n : null;
}

/** Whether version component `c1` sorts before `c2`. */
export function componentLessThan(c1: string, c2: string): boolean {
  const n1 = componentNumber(c1);
  const n2 = componentNumber(c2);
  if (n1 !== null && n2 !== null) return n1 < n2;
  if (c1 === "" && n2 !== null) return true;
  if (c1 === "pre" && c2 !== "pre") return true;
  if (c2 === "pre") return false;
  // A number beats a word at the same place: "2.3a" < "2.3.1".
  if (n2 !== null) return true;
  if (n1 !== null) return false;
  return c1 < c2; // byte-wise: our strings hold one byte per char
}

/** `builtins.compareVersions`: -1, 0 or 1. */
export function compareVersions(v1: string, v2: string): -1 | 0 | 1 {
  let p1 = 0;
  let p2 = 0;
  while (p1 < v1.length || p2 < v2.length) {
    const [c1, n1] = nextComponent(v1, p1);
    const [c2, n2] = nextComponent(v2, p2);
    p1 = n1;
    p2 = n2;
    if (componentLessThan(c1, c2)) return -1;
    if (componentLessThan(c2, c1)) return 1;
  }
  return 0;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * `builtins.parseDrvName`: the name ends at the first `-` that is followed by something other than
 * an ASCII letter; the version is everything after that dash.
 */
export function parseDrvName(s: string): { name: string; version: string } {
  for (let i = 0; i + 1 < s.length; i++) {
    if (s.charCodeAt(i) === 45 && !isAsciiAlpha(s.charCodeAt(i + 1))) {
      return { name: s.slice(0, i), version: s.slice(i + 1) };
    }
  }
  return { name: s, version: "" };
}
