// The URL dialect of flake references: Nix's URL grammar (scheme, optional authority, raw path,
// query map, decoded fragment), query decoding, and re-rendering in the 2.8 or modern encoding.

import { BadFlakeRef } from "./errors.js";
import { compareCodePoints } from "./json.js";

/**
 * How URLs are printed. "modern" (current Nix): query values escape everything but unreserved
 * characters and `:@/?`, with upper-case hex (`narHash=sha256-…%3D`). "2.8": query values keep
 * RFC 3986 sub-delimiters (`=`, `+`, …), escape `/`, with lower-case hex (`…%2f…=`).
 */
export type UrlStyle = "modern" | "2.8";

export const DEFAULT_URL_STYLE: UrlStyle = "modern";

export interface ParsedUrl {
  /** e.g. "git+https"; lower case. */
  readonly scheme: string;
  /** The text between `//` and the path, or undefined when the URL has no `//`. */
  readonly authority: string | undefined;
  /** The path exactly as written (still percent-encoded). */
  readonly path: string;
  /** Decoded query parameters; the first occurrence of a name wins. */
  readonly query: ReadonlyMap<string, string>;
  /** Decoded fragment ("" when absent). */
  readonly fragment: string;
}

// The grammar, as regular-expression source.
const PCT = "%[0-9a-fA-F]{2}";
const UNRESERVED = "[a-zA-Z0-9\\-._~]";
const SUBDELIMS = "[!$&'\"()*+,;=]";
const PCHAR = `(?:${UNRESERVED}|${PCT}|${SUBDELIMS}|[:@])`;
/** Query text: path characters plus `/`, `?`, space and `"` (Nix tolerates the last two). */
export const QUERY_RE = `(?:${PCHAR}|[/? "])*`;
/** Fragment text: like the query, plus `^`. */
export const FRAGMENT_RE = `(?:${PCHAR}|[/? "^])*`;
const SEGMENT = `${PCHAR}*`;
const ABS_PATH = `(?:(?:/${SEGMENT})*/?)`;
const PATH = `(?:${SEGMENT}(?:/${SEGMENT})*/?)`;
const HOSTNAME = `(?:${UNRESERVED}|${PCT}|${SUBDELIMS})*`;
const IPV6 = "\\[[0-9a-fA-F:.]+(?:%[0-9a-zA-Z_]+)?\\]";
const USER = `(?:${UNRESERVED}|${PCT}|${SUBDELIMS}|:)*`;
const AUTHORITY = `(?:${USER}@)?(?:${IPV6}|${HOSTNAME})(?::[0-9]+)?`;
const SCHEME = "[a-z][a-z0-9+.\\-]*";

const URL_RE = new RegExp(
  `^(${SCHEME}):(?://(${AUTHORITY})(${ABS_PATH})|(/?${PATH}))(?:\\?(${QUERY_RE}))?(?:#(${FRAGMENT_RE}))?$`,
);

/** Splits "tarball+https" into application "tarball" and transport "https". */
export function splitScheme(scheme: string): { application: string | undefined; transport: string } {
  const i = scheme.indexOf("+");
  return i < 0 ? { application: undefined, transport: scheme } : { application: scheme.slice(0, i), transport: scheme.slice(i + 1) };
}

/** Parses a URL, or throws `'<url>' is not a valid URL`. */
export function parseUrl(url: string): ParsedUrl {
  const m = URL_RE.exec(url);
  if (!m) throw new BadFlakeRef(`'${url}' is not a valid URL`);
  const scheme = m[1]!;
  const authority = m[2];
  let path = m[3] ?? m[4] ?? "";
  const transportIsFile = splitScheme(scheme).transport === "file";
  if (authority !== undefined && authority !== "" && transportIsFile) {
    throw new BadFlakeRef(`file:// URL '${url}' has unexpected authority '${authority}'`);
  }
  if (transportIsFile && path === "") path = "/";
  return { scheme, authority, path, query: decodeQuery(m[5] ?? ""), fragment: percentDecode(m[6] ?? "") };
}

/** Whether `s` is a syntactically valid URL. */
export function isUrl(s: string): boolean {
  return URL_RE.test(s);
}

/** Decodes `%XX` escapes (as UTF-8); `+` stays `+`. */
export function percentDecode(s: string): string {
  if (!s.includes("%")) return s;
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ""), "hex").toString("utf8"));
}

/** `a=1&b=2` → map; parameters without `=` are ignored; the first of duplicate names wins. */
export function decodeQuery(query: string): Map<string, string> {
  const res = new Map<string, string>();
  if (query === "") return res;
  for (const part of query.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = percentDecode(part.slice(0, eq));
    if (!res.has(name)) res.set(name, percentDecode(part.slice(eq + 1)));
  }
  return res;
}

const ALNUM = /[a-zA-Z0-9]/;

function encodeWith(s: string, keep: (c: string) => boolean, upper: boolean): string {
  let out = "";
  for (const ch of s) {
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80 && (ALNUM.test(ch) || keep(ch))) {
      out += ch;
    } else {
      for (const b of Buffer.from(ch, "utf8")) {
        const hex = b.toString(16).padStart(2, "0");
        out += "%" + (upper ? hex.toUpperCase() : hex);
      }
    }
  }
  return out;
}

/** Percent-encodes a query name or value in the given style. */
export function encodeQueryComponent(s: string, style: UrlStyle): string {
  return style === "2.8"
    ? encodeWith(s, (c) => "-._~!$&'()*+,;=:@".includes(c), false)
    : encodeWith(s, (c) => "-._~:@/?".includes(c), true);
}

/** Percent-encodes a fragment in the given style. */
export function encodeFragment(s: string, style: UrlStyle): string {
  return style === "2.8"
    ? encodeWith(s, (c) => "-._~!$&'()*+,;=:@".includes(c), false)
    : encodeWith(s, (c) => "-._~".includes(c), true);
}

/**
 * Renders a file-system path as a URL path. 2.8 writes it verbatim; the modern style escapes only
 * what the URL grammar does not allow in a path (space, `%`, `?`, `#`, non-ASCII, …), so the
 * result always parses back to the same path.
 */
export function encodeUrlPath(path: string, style: UrlStyle): string {
  if (style === "2.8") return path;
  return encodeWith(path, (c) => "-._~!$&'()*+,;=:@/".includes(c), true);
}

/** Query parameters sorted by name and encoded: `a=1&b=2`. */
export function encodeQuery(query: ReadonlyMap<string, string> | Record<string, string>, style: UrlStyle): string {
  const entries = query instanceof Map ? [...query.entries()] : Object.entries(query);
  entries.sort((a, b) => compareCodePoints(a[0], b[0]));
  return entries.map(([k, v]) => encodeQueryComponent(k, style) + "=" + encodeQueryComponent(v, style)).join("&");
}

/** Renders a parsed URL (path verbatim, query sorted and encoded, fragment encoded). */
export function renderUrl(url: ParsedUrl, style: UrlStyle): string {
  let s = url.scheme + ":";
  if (url.authority !== undefined) s += "//" + url.authority;
  s += url.path;
  if (url.query.size > 0) s += "?" + encodeQuery(url.query, style);
  if (url.fragment !== "") s += "#" + encodeFragment(url.fragment, style);
  return s;
}
