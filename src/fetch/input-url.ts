// Inputs as URLs: parsing the common URL forms `builtins.fetchTree` accepts (`github:o/r/ref`,
// `git+file:///x?ref=…`, `path:/x`, `https://…/x.tar.gz`), and printing inputs for messages.

import type { InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";

const BOOL_PARAMS = new Set(["shallow", "submodules", "allRefs", "exportIgnore", "lfs", "verifyCommit"]);
const INT_PARAMS = new Set(["revCount", "lastModified"]);
const ARCHIVE_RE = /\.(zip|tar|tgz|tar\.gz|tar\.xz|tar\.bz2|tar\.zst)$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function splitQuery(s: string): { base: string; params: [string, string][] } {
  const hash = s.indexOf("#");
  if (hash !== -1) s = s.slice(0, hash);
  const q = s.indexOf("?");
  if (q === -1) return { base: s, params: [] };
  const params: [string, string][] = [];
  for (const part of s.slice(q + 1).split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    params.push(eq === -1 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1).replace(/\+/g, " "))]);
  }
  return { base: s.slice(0, q), params };
}

function typed(name: string, value: string): string | number | boolean {
  if (BOOL_PARAMS.has(name)) return value === "1" || value === "true";
  if (INT_PARAMS.has(name)) {
    if (!/^\d+$/.test(value)) throw new FetchError(`invalid integer '${value}' for parameter '${name}'`);
    return Number(value);
  }
  return value;
}

function withParams(attrs: Record<string, string | number | boolean>, params: [string, string][]): InputAttrs {
  for (const [k, v] of params) attrs[k] = typed(k, v);
  return attrs;
}

/** Parses an input URL into attributes. */
export function parseInputUrl(url: string): InputAttrs {
  const { base, params } = splitQuery(url);
  const forge = /^(github|gitlab|sourcehut):(.*)$/.exec(base);
  if (forge !== null) {
    const parts = forge[2].split("/");
    if (parts.length < 2 || parts.length > 3 || parts[0] === "" || parts[1] === "") {
      throw new FetchError(`'${url}' is not a valid URL: ${forge[1]} URLs need an owner and a repository`);
    }
    const attrs: Record<string, string | number | boolean> = { type: forge[1], owner: decode(parts[0]), repo: decode(parts[1]) };
    if (parts.length === 3 && parts[2] !== "") {
      const refOrRev = decode(parts[2]);
      if (/^[0-9a-f]{40}$/.test(refOrRev)) attrs.rev = refOrRev;
      else attrs.ref = refOrRev;
    }
    return withParams(attrs, params);
  }
  if (base.startsWith("path:")) return withParams({ type: "path", path: decode(base.slice(5)) }, params);
  if (base.startsWith("/")) return withParams({ type: "path", path: decode(base) }, params);
  if (base.startsWith("git+")) return withParams({ type: "git", url: base.slice(4) }, params);
  if (base.startsWith("tarball+")) return withParams({ type: "tarball", url: base.slice(8) }, params);
  if (base.startsWith("file+")) return withParams({ type: "file", url: base.slice(5) }, params);
  if (/^(https?|file):/.test(base)) {
    // The query string belongs to the URL, except for the parameters fetchers understand.
    const own = params.filter(([k]) => k === "narHash" || k === "rev" || k === "revCount" || k === "lastModified");
    const keep = params.filter((p) => !own.includes(p));
    const plain = keep.length === 0 ? base : `${base}?${keep.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`;
    const type = ARCHIVE_RE.test(new URL(base).pathname) ? "tarball" : "file";
    return withParams({ type, url: plain }, own);
  }
  throw new FetchError(`input '${url}' is unsupported`);
}

function query(attrs: InputAttrs, names: readonly string[]): string {
  const parts: string[] = [];
  for (const n of names) {
    const v = attrs[n];
    if (v === undefined || v === false) continue;
    parts.push(`${n}=${(v === true ? "1" : String(v)).replace(/[%&#? ]/g, (c) => encodeURIComponent(c))}`);
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

/** A URL for an input, as used in messages (`git+file:///x?ref=main&rev=…`). */
export function inputToUrl(attrs: InputAttrs): string {
  switch (attrs.type) {
    case "git":
      return `git+${attrs.url}${query(attrs, ["allRefs", "ref", "rev", "shallow", "submodules"])}`;
    case "path":
      return `path:${attrs.path}${query(attrs, ["lastModified", "narHash", "rev", "revCount"])}`;
    case "tarball":
    case "file": {
      const u = String(attrs.url);
      const prefix = attrs.type === "file" ? (ARCHIVE_RE.test(u) || !/^(https?|file):/.test(u) ? "file+" : "") : ARCHIVE_RE.test(u) ? "" : "tarball+";
      return `${prefix}${u}${query(attrs, ["narHash"])}`;
    }
    case "github":
    case "gitlab":
    case "sourcehut": {
      const tail = attrs.rev ?? attrs.ref;
      return `${attrs.type}:${attrs.owner}/${attrs.repo}${tail === undefined ? "" : `/${tail}`}${query(attrs, ["host", "narHash"])}`;
    }
    default:
      return JSON.stringify(attrs);
  }
}
