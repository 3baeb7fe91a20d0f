// Small helpers the fetchers share: adding trees to the store and reading back their NAR hash,
// byte-string paths, temporary directories, dates and cache keys.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deleteTree } from "../store/canonicalise.js";
import { hashBytes, hashToSri, makeFixedOutputPath, parseHash, type Hash } from "../store/formats/index.js";
import type { FileType } from "../eval/state.js";
import type { FetchContext, InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";

/** A JS (UTF-16) file name as the store's byte string (one char per byte). */
export function toBytes(p: string): string {
  return Buffer.from(p, "utf8").toString("latin1");
}

/** A byte string (one char per byte) back to a JS string. */
export function fromBytes(s: string): string {
  return Buffer.from(s, "latin1").toString("utf8");
}

export interface AddedTree {
  readonly storePath: string;
  /** SRI sha256 of the NAR. */
  readonly narHash: string;
}

export interface CopiedTree extends AddedTree {
  /** Newest modification time of what was copied (seconds, links not followed, root included), from the copy's walk. */
  readonly newestMtime: number;
}

/**
 * Copies `fsPath` (a directory, file or symlink) into the store as a source path named `name`.
 * `filter` gets paths relative to `fsPath` (byte strings, no leading slash).
 */
export function addTreeToStore(
  ctx: FetchContext,
  fsPath: string,
  name: string,
  filter?: (rel: string, type: FileType) => boolean,
  observe?: (path: string, st: fs.Stats) => void,
): CopiedTree {
  const root = toBytes(fsPath);
  const prefix = root.endsWith("/") ? root : root + "/";
  let newest = 0;
  const storePath = ctx.store.addPath(root, name, {
    recursive: true,
    filter: filter === undefined ? undefined : (p, type) => filter(p.startsWith(prefix) ? p.slice(prefix.length) : p, type),
    onEntry: (p, st) => {
      const m = Math.floor(st.mtimeMs / 1000);
      if (m > newest) newest = m;
      observe?.(p, st);
    },
  });
  return { storePath, narHash: narHashOf(ctx, storePath), newestMtime: newest };
}

/** The SRI NAR hash of a valid store path. */
export function narHashOf(ctx: FetchContext, storePath: string): string {
  return hashToSri(ctx.store.requirePathInfo(storePath).narHash);
}

/** Parses a `narHash` attribute (SRI or `sha256:…`). */
export function parseNarHash(text: string): Hash {
  let h: Hash;
  try {
    h = parseHash(text);
  } catch (e) {
    throw new FetchError(`invalid narHash '${text}': ${(e as Error).message}`);
  }
  if (h.algo !== "sha256") throw new FetchError(`narHash must use SHA-256, but '${text}' uses ${h.algo}`);
  return h;
}

/** Normalises a `narHash` attribute to SRI form. */
export function sriOf(text: string): string {
  return hashToSri(parseNarHash(text));
}

/** The store path a source tree named `name` with this NAR hash has. */
export function sourcePathFor(ctx: FetchContext, narHash: string, name: string): string {
  return makeFixedOutputPath(name, "recursive", parseNarHash(narHash), [], ctx.store.storeDir);
}

/** `%Y%m%d%H%M%S` in UTC. */
export function formatDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** A fresh temporary directory; `removeTemp` deletes it (read-only parts included). */
export function makeTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tix-${prefix}-`));
}

export function removeTemp(dir: string): void {
  try {
    deleteTree(dir);
  } catch {
    // Best effort: a leftover temporary directory is not worth failing a fetch for.
  }
}

/** Runs `f` with a temporary directory that is removed afterwards. */
export function withTemp<T>(prefix: string, f: (dir: string) => T): T {
  const dir = makeTemp(prefix);
  try {
    return f(dir);
  } finally {
    removeTemp(dir);
  }
}

export function sha256Hex(s: string | Uint8Array): string {
  const bytes = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  return Buffer.from(hashBytes("sha256", bytes).bytes).toString("hex");
}

/** Creates `dir` (and parents) under the cache directory; returns it. */
export function cacheSubdir(ctx: FetchContext, ...parts: string[]): string {
  const dir = path.join(ctx.cacheDir, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Reads a JSON file, or null when it is missing or unreadable. */
export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/** Writes a JSON file atomically (temp file + rename). */
export function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

// ---------------------------------------------------------------------------------------------
// Reading input attributes

export function getStr(attrs: InputAttrs, name: string): string | undefined {
  const v = attrs[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new FetchError(`attribute '${name}' of input is not a string`);
  return v;
}

export function requireStr(attrs: InputAttrs, name: string): string {
  const v = getStr(attrs, name);
  if (v === undefined) throw new FetchError(`input attribute '${name}' is missing`);
  return v;
}

export function getInt(attrs: InputAttrs, name: string): number | undefined {
  const v = attrs[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new FetchError(`attribute '${name}' of input is not an integer`);
  return v;
}

export function getBool(attrs: InputAttrs, name: string): boolean | undefined {
  const v = attrs[name];
  if (v === undefined) return undefined;
  // URL query parameters arrive as strings ("1"/"0"); accept them too.
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  if (typeof v !== "boolean") throw new FetchError(`attribute '${name}' of input is not a Boolean`);
  return v;
}

/** Throws when `attrs` has attributes outside `allowed`. */
export function checkAttrNames(attrs: InputAttrs, type: string, allowed: readonly string[]): void {
  for (const k of Object.keys(attrs)) {
    if (k !== "type" && !allowed.includes(k)) throw new FetchError(`unsupported ${type} input attribute '${k}'`);
  }
}

/** A full 40-character hexadecimal commit hash. */
export function isCommitHash(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s);
}

/** Sorted copy of attributes (flake.lock order). */
export function sortAttrs(attrs: Record<string, string | number | boolean>): InputAttrs {
  const out: Record<string, string | number | boolean> = {};
  for (const k of Object.keys(attrs).sort()) out[k] = attrs[k];
  return out;
}
