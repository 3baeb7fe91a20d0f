// Flake references: one typed record per input type, parsed from the URL form (`github:o/r/ref`,
// `git+file:…?ref=`, `nixpkgs/branch`, bare paths, `#fragment`) or the attribute-set form, printed back.

import * as nodePath from "node:path";
import { hashBytes } from "../store/formats/hash.js";
import { BadFlakeRef } from "./errors.js";
import { dumpJson, sortedKeys, type JsonValue } from "./json.js";
import {
  DEFAULT_URL_STYLE,
  FRAGMENT_RE,
  encodeQuery,
  encodeUrlPath,
  parseUrl,
  percentDecode,
  renderUrl,
  splitScheme,
  type ParsedUrl,
  type UrlStyle,
} from "./url.js";

// path.posix rather than node:path/posix, which is one more built-in module to load at start-up.
const posixPath = nodePath.posix;

// A FlakeRef is exactly its attribute set (`type`, the type's attributes, optional `dir`), so
// `flakeRefToAttrs` only sorts keys. Parsing follows modern Nix where it differs from 2.8: `?dir=`
// never stays inside a `url` attribute, `tarball+`/`file+` schemes exist, a plain http(s)/file URL
// without an archive suffix is a tarball flake, all git Boolean parameters (`allRefs`, …) become
// attributes, forge URLs accept `narHash`, and `path:` URL paths are percent-decoded. Printing takes
// a UrlStyle (see url.ts).

// ---------------------------------------------------------------------------------------------
// Types

export type AttrValue = string | number | boolean;

/** The attribute-set form of a flake reference, as in flake.nix `inputs` or flake.lock. */
export type Attrs = Record<string, AttrValue>;

interface RefBase {
  /** Subdirectory holding flake.nix (`?dir=`); absent for the root. */
  readonly dir?: string;
}

export interface PathFlakeRef extends RefBase {
  readonly type: "path";
  readonly path: string;
  readonly rev?: string;
  readonly revCount?: number;
  readonly lastModified?: number;
  readonly narHash?: string;
}

export interface GitFlakeRef extends RefBase {
  readonly type: "git";
  /** The repository URL without `git+`: `file:///x`, `https://…`, `ssh://…`. */
  readonly url: string;
  readonly ref?: string;
  readonly rev?: string;
  readonly shallow?: boolean;
  readonly submodules?: boolean;
  readonly lfs?: boolean;
  readonly exportIgnore?: boolean;
  readonly allRefs?: boolean;
  readonly verifyCommit?: boolean;
  readonly revCount?: number;
  readonly lastModified?: number;
  readonly narHash?: string;
  readonly name?: string;
  readonly dirtyRev?: string;
  readonly dirtyShortRev?: string;
  readonly keytype?: string;
  readonly publicKey?: string;
  readonly publicKeys?: string;
}

export interface ForgeFlakeRef extends RefBase {
  readonly type: "github" | "gitlab" | "sourcehut";
  readonly owner: string;
  readonly repo: string;
  readonly ref?: string;
  readonly rev?: string;
  readonly host?: string;
  readonly narHash?: string;
  readonly lastModified?: number;
}

export interface TarballFlakeRef extends RefBase {
  /** "tarball" is unpacked; "file" is a single file (non-flake inputs). */
  readonly type: "tarball" | "file";
  readonly url: string;
  readonly narHash?: string;
  readonly name?: string;
  readonly unpack?: boolean;
  readonly rev?: string;
  readonly revCount?: number;
  readonly lastModified?: number;
}

export interface IndirectFlakeRef extends RefBase {
  readonly type: "indirect";
  readonly id: string;
  readonly ref?: string;
  readonly rev?: string;
  readonly narHash?: string;
}

export interface MercurialFlakeRef extends RefBase {
  readonly type: "hg";
  readonly url: string;
  readonly ref?: string;
  readonly rev?: string;
  readonly revCount?: number;
  readonly narHash?: string;
  readonly name?: string;
}

export type FlakeRef =
  | PathFlakeRef
  | GitFlakeRef
  | ForgeFlakeRef
  | TarballFlakeRef
  | IndirectFlakeRef
  | MercurialFlakeRef;

export type FlakeRefType = FlakeRef["type"];

// ---------------------------------------------------------------------------------------------
// Regular expressions shared with the registry and lock file

/** A flake id (`nixpkgs`, also an input name). */
export const FLAKE_ID_RE = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
const FLAKE_ID_S = "[a-zA-Z][a-zA-Z0-9_-]*";
/** A branch or tag name as accepted in github:/flake: URLs. */
export const REF_RE = /^[a-zA-Z0-9@][a-zA-Z0-9_.\/@+-]*$/;
const REF_S = "[a-zA-Z0-9@][a-zA-Z0-9_.\\/@+-]*";
/** A full commit hash. */
export const REV_RE = /^[0-9a-fA-F]{40}$/;
const REV_S = "[0-9a-fA-F]{40}";
// What git itself refuses as a ref name (check-ref-format rules).
const BAD_GIT_REF_RE = /\/\/|^[.\/]|\/\.|\.\.|[\x00-\x20\x7f:?^~\[]|\\|\*|\.lock$|\.lock\/|@\{|[\/.]$|^@$|^$/;
const HOST_RE = /^[a-zA-Z0-9.-]*$/;
const FLAKE_ID_REF_RE = new RegExp(
  `^(${FLAKE_ID_S}(?:/(?:${REV_S}|${REF_S}(?:/${REV_S})?))?)(?:#(${FRAGMENT_RE}))?$`,
);
const TARBALL_EXTENSIONS = [".zip", ".tar", ".tgz", ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst"];

/** Whether git would accept `ref` as a branch/tag name. */
export function isLegalGitRef(ref: string): boolean {
  return !BAD_GIT_REF_RE.test(ref);
}

/** Whether a URL path names an archive Nix unpacks (`.tar.gz`, `.zip`, …). */
export function hasTarballExtension(path: string): boolean {
  return TARBALL_EXTENSIONS.some((e) => path.endsWith(e));
}

// ---------------------------------------------------------------------------------------------
// The attribute-set form

type Kind = "string" | "int" | "bool";

const PATH_ATTRS: Record<string, Kind> = { path: "string", rev: "string", revCount: "int", lastModified: "int", narHash: "string" };
const GIT_ATTRS: Record<string, Kind> = {
  url: "string", ref: "string", rev: "string", shallow: "bool", submodules: "bool", lfs: "bool",
  exportIgnore: "bool", allRefs: "bool", verifyCommit: "bool", revCount: "int", lastModified: "int",
  narHash: "string", name: "string", dirtyRev: "string", dirtyShortRev: "string", keytype: "string",
  publicKey: "string", publicKeys: "string",
};
const FORGE_ATTRS: Record<string, Kind> = {
  owner: "string", repo: "string", ref: "string", rev: "string", host: "string", narHash: "string", lastModified: "int",
};
const TARBALL_ATTRS: Record<string, Kind> = {
  url: "string", narHash: "string", name: "string", unpack: "bool", rev: "string", revCount: "int", lastModified: "int",
};
const INDIRECT_ATTRS: Record<string, Kind> = { id: "string", ref: "string", rev: "string", narHash: "string" };
const HG_ATTRS: Record<string, Kind> = {
  url: "string", ref: "string", rev: "string", revCount: "int", narHash: "string", name: "string",
};

interface TypeInfo {
  readonly attrs: Record<string, Kind>;
  readonly required: readonly string[];
  /** Prefix of the "unsupported … attribute" message. */
  readonly label: string;
}

const TYPES: Record<FlakeRefType, TypeInfo> = {
  path: { attrs: PATH_ATTRS, required: ["path"], label: "path input" },
  git: { attrs: GIT_ATTRS, required: ["url"], label: "Git input" },
  github: { attrs: FORGE_ATTRS, required: ["owner", "repo"], label: "input" },
  gitlab: { attrs: FORGE_ATTRS, required: ["owner", "repo"], label: "input" },
  sourcehut: { attrs: FORGE_ATTRS, required: ["owner", "repo"], label: "input" },
  tarball: { attrs: TARBALL_ATTRS, required: ["url"], label: "tarball input" },
  file: { attrs: TARBALL_ATTRS, required: ["url"], label: "file input" },
  indirect: { attrs: INDIRECT_ATTRS, required: ["id"], label: "indirect input" },
  hg: { attrs: HG_ATTRS, required: ["url"], label: "Mercurial input" },
};

export function isFlakeRefType(t: string): t is FlakeRefType {
  return Object.prototype.hasOwnProperty.call(TYPES, t);
}

/** Validates a commit hash: 40 hexadecimal digits. */
export function checkRev(rev: string): void {
  if (rev.length !== 40) throw new BadFlakeRef(`hash '${rev}' has wrong length for hash type 'sha1'`);
  if (!REV_RE.test(rev)) throw new BadFlakeRef(`invalid base-16 hash '${rev}'`);
}

const SRI_SIZES: Record<string, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

/** Validates a `narHash`: an SRI SHA-256 hash (`sha256-<base64>`). */
export function checkNarHash(h: string): void {
  const dash = h.indexOf("-");
  if (dash < 0) throw new BadFlakeRef(`hash '${h}' is not SRI`);
  const algo = h.slice(0, dash);
  const b64 = h.slice(dash + 1);
  const size = SRI_SIZES[algo];
  if (size === undefined) throw new BadFlakeRef(`unknown hash algorithm '${algo}'`);
  const bad = /[^A-Za-z0-9+/=]/.exec(b64);
  if (bad) throw new BadFlakeRef(`invalid character in Base64 string: '${bad[0]}'`);
  if (Buffer.from(b64, "base64").length !== size) throw new BadFlakeRef(`invalid SRI hash '${b64}'`);
  if (algo !== "sha256") throw new BadFlakeRef("narHash must use SHA-256");
}

function attrsJson(attrs: Attrs): string {
  return dumpJson(attrs as JsonValue, -1);
}

/**
 * Parses the attribute-set form (a plain record of strings, integers and booleans, e.g. a
 * flake.lock `locked` node or `inputs.x = { type = "github"; … }`), validating it as Nix does.
 */
export function flakeRefFromAttrs(attrs: Readonly<Attrs>): FlakeRef {
  const type = attrs["type"];
  if (type === undefined) throw new BadFlakeRef("input attribute 'type' is missing");
  if (typeof type !== "string") throw new BadFlakeRef("input attribute 'type' is not a string");
  if (!isFlakeRefType(type)) throw new BadFlakeRef(`unsupported input type '${type}'`);
  const info = TYPES[type];
  const out: Record<string, AttrValue> = { type };
  for (const name of Object.keys(attrs)) {
    if (name === "type") continue;
    const value = attrs[name]!;
    if (name === "dir") {
      if (typeof value !== "string") throw new BadFlakeRef("input attribute 'dir' is not a string");
      if (value !== "") out["dir"] = value;
      continue;
    }
    const kind = info.attrs[name];
    if (kind === undefined) throw new BadFlakeRef(`unsupported ${info.label} attribute '${name}'`);
    if (kind === "string" && typeof value !== "string") throw new BadFlakeRef(`input attribute '${name}' is not a string`);
    if (kind === "int" && !(typeof value === "number" && Number.isInteger(value) && value >= 0)) {
      throw new BadFlakeRef(`input attribute '${name}' is not an integer`);
    }
    if (kind === "bool" && typeof value !== "boolean") throw new BadFlakeRef(`input attribute '${name}' is not a Boolean`);
    out[name] = value;
  }
  for (const name of info.required) {
    if (out[name] === undefined) throw new BadFlakeRef(`input attribute '${name}' is missing`);
  }
  if (typeof out["narHash"] === "string") checkNarHash(out["narHash"]);
  if (typeof out["rev"] === "string") checkRev(out["rev"]);
  const ref = out["ref"];
  switch (type) {
    case "git":
      if (typeof ref === "string" && !isLegalGitRef(ref)) throw new BadFlakeRef(`invalid Git branch/tag name '${ref}'`);
      out["url"] = fixGitUrl(out["url"] as string);
      break;
    case "github":
    case "gitlab":
    case "sourcehut": {
      if (typeof ref === "string" && out["rev"] !== undefined) {
        throw new BadFlakeRef(
          `input ${attrsJson(attrs)} contains both a commit hash ('${out["rev"]}') and a branch/tag name ('${ref}')`,
        );
      }
      if (typeof ref === "string" && !isLegalGitRef(ref)) {
        throw new BadFlakeRef(`input ${attrsJson(attrs)} contains an invalid branch/tag name`);
      }
      const host = out["host"];
      if (typeof host === "string" && !HOST_RE.test(host)) {
        throw new BadFlakeRef(`input ${attrsJson(attrs)} contains an invalid instance host`);
      }
      break;
    }
    case "indirect":
      if (!FLAKE_ID_RE.test(out["id"] as string)) throw new BadFlakeRef(`'${out["id"]}' is not a valid flake ID`);
      break;
    case "tarball":
    case "file":
    case "hg":
      parseUrl(out["url"] as string);
      break;
    case "path":
      break;
  }
  return out as unknown as FlakeRef;
}

/** Git URLs in attribute sets may be scp-like (`git@host:path`) or plain paths; make them URLs. */
function fixGitUrl(original: string): string {
  let url = original;
  const scp = /^([^/]*)@(.*):(.*)$/.exec(url);
  if (!url.startsWith("/") && scp && !url.includes("://")) url = `ssh://${scp[1]}@${scp[2]}/${scp[3]}`;
  if (!url.startsWith("file:") && !url.startsWith("git+file:") && !url.includes("://")) {
    url = url.startsWith("/") ? "file://" + url : "file:" + url;
  }
  try {
    parseUrl(url);
  } catch (e) {
    if (e instanceof BadFlakeRef && !e.message.startsWith("file:// URL")) throw new BadFlakeRef(`'${original}' is not a valid URL`);
    throw e;
  }
  return url;
}

/**
 * The attribute-set form with keys in Nix's (sorted) order, as written to flake.lock and
 * registries; `dir` is included when set.
 */
export function flakeRefToAttrs(ref: FlakeRef): Attrs {
  const src = ref as unknown as Record<string, AttrValue | undefined>;
  const out: Attrs = {};
  for (const k of sortedKeys(src)) {
    const v = src[k];
    if (v === undefined || (k === "dir" && v === "")) continue;
    out[k] = v;
  }
  return out;
}

/** The same reference with `dir` replaced (undefined or "" removes it). */
export function withDir<T extends FlakeRef>(ref: T, dir: string | undefined): T {
  const copy: Record<string, unknown> = { ...ref };
  if (dir === undefined || dir === "") delete copy["dir"];
  else copy["dir"] = dir;
  return copy as unknown as T;
}

/** The same reference with some attributes set (undefined deletes). Not validated. */
export function withAttrs<T extends FlakeRef>(ref: T, changes: Record<string, AttrValue | undefined>): T {
  const copy: Record<string, unknown> = { ...ref };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete copy[k];
    else copy[k] = v;
  }
  return copy as unknown as T;
}

// ---------------------------------------------------------------------------------------------
// The URL form: per-scheme parsing

export interface ParseFlakeRefOptions {
  /**
   * Directory relative paths are resolved against (the current directory on the command line, the
   * flake's directory for its inputs). Without it, bare paths must be absolute.
   */
  readonly baseDir?: string;
  /** Whether the reference must denote a flake (true, default) or any source tree / file. */
  readonly isFlake?: boolean;
  /** Skip the flake.nix checks on bare paths (`nix flake init` on an empty directory). */
  readonly allowMissing?: boolean;
  /** Keep relative bare paths relative when there is no baseDir (lock-file `path:./x` inputs). */
  readonly preserveRelativePaths?: boolean;
  /** Style of URL text stored in `url` attributes built from the parse. */
  readonly style?: UrlStyle;
  /**
   * For a bare path with baseDir: the enclosing Git work tree, if any (the nearest ancestor of
   * `dir`, inclusive, containing `.git`), and whether it is shallow (`.git/shallow` exists).
   */
  readonly findGitRoot?: (dir: string) => { root: string; shallow?: boolean } | undefined;
  /** File-system queries for bare paths; enables Nix's flake.nix checks and upward search. */
  readonly probe?: PathProbe;
  /** Receives informational messages ("path '…' does not contain a 'flake.nix', searching up"). */
  readonly onNotice?: (message: string) => void;
  /** Receives warnings (printed as `warning: …`); onNotice when absent. */
  readonly onWarning?: (message: string) => void;
}

/** The file-system questions bare-path parsing asks. */
export interface PathProbe {
  /** "directory", "other" (file, symlink, …) or undefined when nothing is there (lstat). */
  kind(path: string): "directory" | "other" | undefined;
  /** Device number (lstat st_dev), to stop the upward search at file-system boundaries. */
  device?(path: string): number | bigint;
}

function getInt(url: string, name: string, value: string, what: string): number {
  if (!/^[0-9]+$/.test(value)) throw new BadFlakeRef(`${what} URL '${url}' has invalid parameter '${name}'`);
  return Number(value);
}

/** A parsed URL (with `dir` already removed) → input attributes, or undefined for unknown schemes. */
function inputFromUrl(url: ParsedUrl, text: string, isFlake: boolean, style: UrlStyle): FlakeRef | undefined {
  const { application, transport } = splitScheme(url.scheme);
  const segments = url.path.split("/").filter((s) => s !== "");
  switch (url.scheme) {
    case "flake": {
      let ref: string | undefined;
      let rev: string | undefined;
      const id = segments[0] ?? "";
      if (segments.length === 2) {
        if (REV_RE.test(segments[1]!)) rev = segments[1]!.toLowerCase();
        else if (REF_RE.test(segments[1]!)) ref = segments[1];
        else throw new BadFlakeRef(`in flake URL '${text}', '${segments[1]}' is not a commit hash or branch/tag name`);
      } else if (segments.length === 3) {
        if (!REF_RE.test(segments[1]!)) throw new BadFlakeRef(`in flake URL '${text}', '${segments[1]}' is not a branch/tag name`);
        ref = segments[1];
        if (!REV_RE.test(segments[2]!)) throw new BadFlakeRef(`in flake URL '${text}', '${segments[2]}' is not a commit hash`);
        rev = segments[2]!.toLowerCase();
      } else if (segments.length !== 1) {
        throw new BadFlakeRef(`flake URL '${text}' is invalid`);
      }
      if (!FLAKE_ID_RE.test(id)) throw new BadFlakeRef(`'${id}' is not a valid flake ID`);
      return { type: "indirect", id, ...(ref !== undefined ? { ref } : {}), ...(rev !== undefined ? { rev } : {}) };
    }
    case "path": {
      if (url.authority !== undefined && url.authority !== "") {
        throw new BadFlakeRef(`path URL '${text}' should not have an authority ('${url.authority}')`);
      }
      return pathRefFromQuery(percentDecode(url.path), url.query, text);
    }
    case "github":
    case "gitlab":
    case "sourcehut":
      return forgeFromUrl(url.scheme, url, segments, text);
    case "git":
    case "git+http":
    case "git+https":
    case "git+ssh":
    case "git+file": {
      const attrs: Record<string, AttrValue> = { type: "git" };
      const rest = new Map<string, string>();
      for (const [name, value] of url.query) {
        if (["rev", "ref", "keytype", "publicKey", "publicKeys"].includes(name)) attrs[name] = value;
        else if (["shallow", "submodules", "lfs", "exportIgnore", "allRefs", "verifyCommit"].includes(name)) attrs[name] = value === "1";
        else rest.set(name, value);
      }
      attrs["url"] = renderUrl({ scheme: url.scheme === "git" ? "git" : transport, authority: url.authority, path: url.path, query: rest, fragment: "" }, style);
      return flakeRefFromAttrs(attrs);
    }
    case "hg+http":
    case "hg+https":
    case "hg+ssh":
    case "hg+file": {
      const attrs: Record<string, AttrValue> = { type: "hg" };
      const rest = new Map<string, string>();
      for (const [name, value] of url.query) {
        if (name === "rev" || name === "ref") attrs[name] = value;
        else rest.set(name, value);
      }
      attrs["url"] = renderUrl({ scheme: transport, authority: url.authority, path: url.path, query: rest, fragment: "" }, style);
      return flakeRefFromAttrs(attrs);
    }
  }
  // Plain or prefixed http(s)/file URLs: archives and files.
  if (transport === "http" || transport === "https" || transport === "file") {
    let type: "tarball" | "file" | undefined;
    if (application === "tarball") type = "tarball";
    else if (application === "file") type = "file";
    else if (application === undefined) type = isFlake || hasTarballExtension(url.path) ? "tarball" : "file";
    if (type !== undefined) {
      const attrs: Record<string, AttrValue> = { type };
      const rest = new Map(url.query);
      const narHash = url.query.get("narHash");
      if (narHash !== undefined) attrs["narHash"] = narHash;
      const rev = url.query.get("rev");
      if (rev !== undefined) attrs["rev"] = rev;
      for (const n of ["revCount", "lastModified"]) {
        const v = url.query.get(n);
        if (v !== undefined && /^[0-9]+$/.test(v)) attrs[n] = Number(v);
      }
      for (const n of ["type", "url", "narHash", "name", "unpack", "rev", "revCount", "lastModified"]) rest.delete(n);
      attrs["url"] = renderUrl({ scheme: transport, authority: url.authority, path: url.path, query: rest, fragment: "" }, style);
      return flakeRefFromAttrs(attrs);
    }
  }
  return undefined;
}

function pathRefFromQuery(path: string, query: ReadonlyMap<string, string>, text: string): PathFlakeRef {
  const attrs: Record<string, AttrValue> = { type: "path", path };
  for (const [name, value] of query) {
    if (name === "rev" || name === "narHash") attrs[name] = value;
    else if (name === "revCount" || name === "lastModified") attrs[name] = getInt(text, name, value, "path");
    else throw new BadFlakeRef(`path URL '${text}' has unsupported parameter '${name}'`);
  }
  return flakeRefFromAttrs(attrs) as PathFlakeRef;
}

function forgeFromUrl(type: ForgeFlakeRef["type"], url: ParsedUrl, segments: string[], text: string): ForgeFlakeRef {
  let ref: string | undefined;
  let rev: string | undefined;
  let host: string | undefined;
  let narHash: string | undefined;
  if (segments.length === 3) {
    if (REV_RE.test(segments[2]!)) rev = segments[2]!.toLowerCase();
    else if (REF_RE.test(segments[2]!)) ref = segments[2];
    else throw new BadFlakeRef(`in URL '${text}', '${segments[2]}' is not a commit hash or branch/tag name`);
  } else if (segments.length > 3) {
    const rs = segments.slice(2).join("/");
    if (!REF_RE.test(rs)) throw new BadFlakeRef(`in URL '${text}', '${rs}' is not a branch/tag name`);
    ref = rs;
  } else if (segments.length < 2) {
    throw new BadFlakeRef(`URL '${text}' is invalid`);
  }
  for (const [name, value] of url.query) {
    if (name === "rev") {
      if (rev !== undefined) throw new BadFlakeRef(`URL '${text}' contains multiple commit hashes`);
      checkRev(value);
      rev = value.toLowerCase();
    } else if (name === "ref") {
      if (!REF_RE.test(value)) throw new BadFlakeRef(`URL '${text}' contains an invalid branch/tag name`);
      if (ref !== undefined) throw new BadFlakeRef(`URL '${text}' contains multiple branch/tag names`);
      ref = value;
    } else if (name === "host") {
      if (!HOST_RE.test(value)) throw new BadFlakeRef(`URL '${text}' contains an invalid instance host`);
      host = value;
    } else if (name === "narHash") {
      narHash = value;
    }
  }
  if (ref !== undefined && rev !== undefined) {
    throw new BadFlakeRef(`URL '${text}' contains both a commit hash and a branch/tag name ${ref} ${rev}`);
  }
  const attrs: Record<string, AttrValue> = { type, owner: segments[0]!, repo: segments[1]! };
  if (ref !== undefined) attrs["ref"] = ref;
  if (rev !== undefined) attrs["rev"] = rev;
  if (host !== undefined) attrs["host"] = host;
  if (narHash !== undefined) attrs["narHash"] = narHash;
  return flakeRefFromAttrs(attrs) as ForgeFlakeRef;
}

/** Parses an already-split URL: `dir` → FlakeRef.dir, the rest per scheme. */
function fromParsedUrl(url: ParsedUrl, text: string, isFlake: boolean, style: UrlStyle): FlakeRef {
  const query = new Map(url.query);
  const dir = query.get("dir");
  query.delete("dir");
  const ref = inputFromUrl({ ...url, query, fragment: "" }, text, isFlake, style);
  if (ref === undefined) throw new BadFlakeRef(`input '${text}' is unsupported`);
  return withDir(ref, dir);
}

// ---------------------------------------------------------------------------------------------
// The URL form: whole flake references

export interface ParsedFlakeRef {
  readonly ref: FlakeRef;
  /** The percent-decoded text after `#` ("" when absent): an attribute path, see attr-path.ts. */
  readonly fragment: string;
}

const SCHEME_PREFIX_RE = /^[a-z][a-z0-9+.\-]*:/;
const PATH_FLAKE_RE = /^([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/**
 * Parses a flake reference with an optional `#fragment`, in Nix's order: a flake id
 * (`nixpkgs`, `nixpkgs/branch`, `nixpkgs/branch/<rev>`), then a URL, then a file-system path.
 */
export function parseFlakeRefWithFragment(text: string, options: ParseFlakeRefOptions = {}): ParsedFlakeRef {
  const style = options.style ?? DEFAULT_URL_STYLE;
  const isFlake = options.isFlake ?? true;

  const id = FLAKE_ID_REF_RE.exec(text);
  if (id) {
    const url: ParsedUrl = { scheme: "flake", authority: undefined, path: id[1]!, query: new Map(), fragment: "" };
    return { ref: fromParsedUrl(url, text, isFlake, style), fragment: percentDecode(id[2] ?? "") };
  }

  let url: ParsedUrl | undefined;
  try {
    url = parseUrl(text);
  } catch (e) {
    if (!(e instanceof BadFlakeRef) || e.message.startsWith("file:// URL")) throw e;
  }
  if (url !== undefined) {
    if (options.baseDir !== undefined && (url.scheme === "path" || url.scheme === "git+file")) {
      const p = percentDecode(url.path);
      if (!p.startsWith("/")) {
        const abs = posixPath.resolve(options.baseDir, p);
        url = { ...url, path: encodeUrlPath(abs, "modern"), authority: url.scheme === "git+file" ? "" : url.authority };
      }
    }
    return { ref: fromParsedUrl(url, text, isFlake, style), fragment: url.fragment };
  }

  return parsePathFlakeRef(text, options, style, isFlake);
}

/** Parses a flake reference that must not have a fragment. */
export function parseFlakeRef(text: string, options: ParseFlakeRefOptions = {}): FlakeRef {
  const { ref, fragment } = parseFlakeRefWithFragment(text, options);
  if (fragment !== "") throw new BadFlakeRef(`unexpected fragment '${fragment}' in flake reference '${text}'`);
  return ref;
}

function parsePathFlakeRef(text: string, options: ParseFlakeRefOptions, style: UrlStyle, isFlake: boolean): ParsedFlakeRef {
  const m = PATH_FLAKE_RE.exec(text)!;
  let path = m[1]!;
  const rawQuery = m[2];
  const query = new Map<string, string>();
  if (rawQuery !== undefined) {
    for (const part of rawQuery.split("&")) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      const name = percentDecode(part.slice(0, eq));
      if (!query.has(name)) query.set(name, percentDecode(part.slice(eq + 1)));
    }
  }
  const fragment = percentDecode(m[3] ?? "");

  if (SCHEME_PREFIX_RE.test(text)) throw new BadFlakeRef(`'${text}' is not a valid URL`);
  if (options.baseDir !== undefined) {
    path = posixPath.resolve(options.baseDir, path);
    if (isFlake) {
      path = locateFlakeDir(path, options);
      const findGitRoot = options.findGitRoot ?? (options.probe ? gitRootFinder(options.probe) : undefined);
      const git = findGitRoot?.(path);
      if (git !== undefined) {
        const subdir = posixPath.relative(git.root, path);
        const q = new Map(query);
        if (subdir !== "") {
          if (q.has("dir")) throw new BadFlakeRef(`flake URL '${text}' has an inconsistent 'dir' parameter`);
          q.set("dir", subdir);
        }
        if (git.shallow) q.set("shallow", "1");
        const url: ParsedUrl = { scheme: "git+file", authority: "", path: encodeUrlPath(git.root, "modern"), query: q, fragment: "" };
        return { ref: fromParsedUrl(url, text, isFlake, style), fragment };
      }
    }
  } else {
    if (!path.startsWith("/")) {
      if (!options.preserveRelativePaths) throw new BadFlakeRef(`flake reference '${text}' is not an absolute path`);
    } else {
      path = posixPath.normalize(path);
      if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
    }
  }
  const dir = query.get("dir");
  query.delete("dir");
  return { ref: withDir(pathRefFromQuery(path, query, text), dir), fragment };
}

/** Nix's checks on a bare flake path, and the upward search for flake.nix (needs `probe`). */
function locateFlakeDir(path: string, options: ParseFlakeRefOptions): string {
  const probe = options.probe;
  if (probe === undefined) return path;
  const kind = probe.kind(path);
  if (kind === undefined) throw new BadFlakeRef(`getting status of '${path}': No such file or directory`);
  if (kind !== "directory") {
    if (posixPath.basename(path) === "flake.nix") {
      (options.onWarning ?? options.onNotice)?.(
        `Path '${path}' should point at the directory containing the 'flake.nix' file, not the file itself. Pretending that you meant '${posixPath.dirname(path)}'`,
      );
      path = posixPath.dirname(path);
    } else {
      throw new BadFlakeRef(`path '${path}' is not a flake (because it's not a directory)`);
    }
  }
  if (options.allowMissing) return path;
  const has = (p: string, name: string) => probe.kind(posixPath.join(p, name)) !== undefined;
  if (!has(path, "flake.nix")) {
    options.onNotice?.(`path '${path}' does not contain a 'flake.nix', searching up`);
    const device = probe.device?.(path);
    let found = false;
    while (path !== "/") {
      if (has(path, "flake.nix")) {
        found = true;
        break;
      }
      if (has(path, ".git")) {
        throw new BadFlakeRef(
          `path '${path}' is not part of a flake (neither it nor its parent directories contain a 'flake.nix' file)`,
        );
      }
      if (device !== undefined && probe.device!(path) !== device) {
        throw new BadFlakeRef(`unable to find a flake before encountering filesystem boundary at '${path}'`);
      }
      path = posixPath.dirname(path);
    }
    if (!found) throw new BadFlakeRef("could not find a flake.nix file");
  }
  return path;
}

/** A `findGitRoot` built on a PathProbe: the nearest ancestor (inclusive) containing `.git`. */
export function gitRootFinder(probe: PathProbe): (dir: string) => { root: string; shallow: boolean } | undefined {
  return (dir) => {
    let p = dir;
    for (;;) {
      if (probe.kind(posixPath.join(p, ".git")) !== undefined) {
        return { root: p, shallow: probe.kind(posixPath.join(p, ".git", "shallow")) !== undefined };
      }
      if (p === "/") return undefined;
      p = posixPath.dirname(p);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Printing

function queryValue(v: AttrValue): string {
  return typeof v === "boolean" ? (v ? "1" : "0") : String(v);
}

/** Renders the input part (without `dir`) as a ParsedUrl-like pair of base text and query. */
function inputToUrl(ref: FlakeRef, style: UrlStyle): { base: string; query: Map<string, string> } {
  const query = new Map<string, string>();
  switch (ref.type) {
    case "path": {
      for (const k of ["rev", "revCount", "lastModified", "narHash"] as const) {
        const v = ref[k];
        if (v !== undefined) query.set(k, queryValue(v));
      }
      return { base: "path:" + encodeUrlPath(ref.path, style), query };
    }
    case "git": {
      const u = parseUrl(ref.url);
      for (const [k, v] of u.query) query.set(k, v);
      if (ref.ref !== undefined) query.set("ref", ref.ref);
      if (ref.rev !== undefined) query.set("rev", ref.rev);
      if (ref.shallow) query.set("shallow", "1");
      if (style === "modern") {
        for (const k of ["lfs", "submodules", "exportIgnore", "verifyCommit"] as const) if (ref[k]) query.set(k, "1");
        if (ref.publicKey !== undefined) {
          query.set("publicKey", ref.publicKey);
          if (ref.keytype !== undefined) query.set("keytype", ref.keytype);
        }
        if (ref.publicKeys !== undefined) query.set("publicKeys", ref.publicKeys);
      }
      const scheme = u.scheme === "git" ? "git" : "git+" + u.scheme;
      return { base: scheme + ":" + (u.authority !== undefined ? "//" + u.authority : "") + u.path, query };
    }
    case "github":
    case "gitlab":
    case "sourcehut": {
      let path = ref.owner + "/" + ref.repo;
      if (ref.ref !== undefined) path += "/" + ref.ref;
      if (ref.rev !== undefined) path += "/" + ref.rev;
      if (style === "modern") {
        if (ref.narHash !== undefined) query.set("narHash", ref.narHash);
        if (ref.host !== undefined) query.set("host", ref.host);
      }
      return { base: ref.type + ":" + path, query };
    }
    case "tarball":
    case "file": {
      const u = parseUrl(ref.url);
      for (const [k, v] of u.query) query.set(k, v);
      if (ref.narHash !== undefined) query.set("narHash", ref.narHash);
      // As in Nix, the URL is printed as stored: a `file` input or an archive without a known
      // suffix does not get its `file+`/`tarball+` prefix back.
      return { base: u.scheme + ":" + (u.authority !== undefined ? "//" + u.authority : "") + u.path, query };
    }
    case "indirect": {
      let path = ref.id;
      if (ref.ref !== undefined) path += "/" + ref.ref;
      if (ref.rev !== undefined) path += "/" + ref.rev;
      return { base: "flake:" + path, query };
    }
    case "hg": {
      const u = parseUrl(ref.url);
      for (const [k, v] of u.query) query.set(k, v);
      if (ref.ref !== undefined) query.set("ref", ref.ref);
      if (ref.rev !== undefined) query.set("rev", ref.rev);
      return { base: "hg+" + u.scheme + ":" + (u.authority !== undefined ? "//" + u.authority : "") + u.path, query };
    }
  }
}

export interface PrintOptions {
  readonly style?: UrlStyle;
  /** Extra query parameters (e.g. a registry entry's `dir`). */
  readonly extraQuery?: Readonly<Record<string, string>>;
}

/** The URL form, as Nix prints it (`nix flake metadata`, lock-file diffs, registry lists). */
export function flakeRefToString(ref: FlakeRef, options: PrintOptions = {}): string {
  const style = options.style ?? DEFAULT_URL_STYLE;
  const { base, query } = inputToUrl(ref, style);
  if (ref.dir !== undefined && ref.dir !== "") query.set("dir", ref.dir);
  for (const [k, v] of Object.entries(options.extraQuery ?? {})) query.set(k, v);
  return query.size > 0 ? base + "?" + encodeQuery(query, style) : base;
}

/** Alias of flakeRefToString. */
export const flakeRefToURL = flakeRefToString;

// ---------------------------------------------------------------------------------------------
// Properties and transformations

/** Same attributes (including `dir`). */
export function flakeRefEquals(a: FlakeRef, b: FlakeRef): boolean {
  return attrsJson(flakeRefToAttrs(a)) === attrsJson(flakeRefToAttrs(b));
}

/** Not `indirect` (needs no registry lookup). */
export function isDirect(ref: FlakeRef): boolean {
  return ref.type !== "indirect";
}

/** A `path` input with a relative path (allowed unlocked in lock files). */
export function isRelative(ref: FlakeRef): boolean {
  return ref.type === "path" && !ref.path.startsWith("/");
}

/**
 * Whether the reference pins its contents (modern Nix): git and Mercurial need a `rev`, forges a
 * `rev` (their archives are trusted), paths, tarballs and files a `narHash`; indirect never.
 */
export function isLocked(ref: FlakeRef): boolean {
  switch (ref.type) {
    case "git":
    case "hg":
    case "github":
    case "gitlab":
    case "sourcehut":
      return ref.rev !== undefined;
    case "path":
    case "tarball":
    case "file":
      return ref.narHash !== undefined;
    case "indirect":
      return false;
  }
}

export function getRef(ref: FlakeRef): string | undefined {
  return "ref" in ref ? ref.ref : undefined;
}

export function getRev(ref: FlakeRef): string | undefined {
  return "rev" in ref ? ref.rev : undefined;
}

/** The reference without `ref` and `rev`. */
export function withoutRefAndRev<T extends FlakeRef>(ref: T): T {
  return withAttrs(ref, { ref: undefined, rev: undefined });
}

/**
 * Sets a branch/tag and/or revision, as registry lookups do for `nixpkgs/branch`: forges replace one
 * by the other, git/hg/indirect keep both, other types refuse.
 */
export function applyOverrides<T extends FlakeRef>(ref: T, overrides: { ref?: string; rev?: string }, style?: UrlStyle): T {
  const { ref: newRef, rev: newRev } = overrides;
  if (newRef === undefined && newRev === undefined) return ref;
  switch (ref.type) {
    case "github":
    case "gitlab":
    case "sourcehut":
      if (newRev !== undefined && newRef !== undefined) {
        throw new BadFlakeRef(
          `cannot apply both a commit hash (${newRev}) and a branch/tag name ('${newRef}') to input '${flakeRefToString(ref, { style })}'`,
        );
      }
      if (newRev !== undefined) return withAttrs(ref, { rev: newRev, ref: undefined });
      return withAttrs(ref, { ref: newRef, rev: undefined });
    case "git":
    case "hg":
    case "indirect":
      return withAttrs(ref, { ref: newRef ?? getRef(ref), rev: newRev ?? getRev(ref) });
    default:
      if (newRef !== undefined) {
        throw new BadFlakeRef(`don't know how to set branch/tag name of input '${flakeRefToString(ref, { style })}' to '${newRef}'`);
      }
      throw new BadFlakeRef(`don't know how to set revision of input '${flakeRefToString(ref, { style })}' to '${newRev}'`);
  }
}

/**
 * Drops a `?dir=` left inside the `url` attribute by Nix ≤ 2.18 when it equals `dir`, so old lock
 * entries compare equal to freshly parsed references.
 */
export function canonicalizeFlakeRef<T extends FlakeRef>(ref: T): T {
  if (!("url" in ref) || ref.dir === undefined) return ref;
  let u: ParsedUrl;
  try {
    u = parseUrl(ref.url);
  } catch {
    return ref;
  }
  if (u.query.get("dir") !== ref.dir) return ref;
  const query = new Map(u.query);
  query.delete("dir");
  // Re-render only the query; keep the rest of the text as it was.
  const base = ref.url.replace(/[?#].*$/, "");
  return withAttrs(ref, { url: query.size > 0 ? base + "?" + encodeQuery(query, "modern") : base });
}

/**
 * What identifies a locked input's contents for evaluation caching (modern Nix): the revision for
 * git/hg/forges (git adds `;s` for submodules, `;e` exportIgnore, `;l` lfs), else the NAR hash.
 */
export function inputFingerprint(ref: FlakeRef): string | undefined {
  const rev = getRev(ref);
  if (ref.type === "git" && rev !== undefined) {
    return rev + (ref.submodules ? ";s" : "") + (ref.exportIgnore ? ";e" : "") + (ref.lfs ? ";l" : "");
  }
  if ((ref.type === "github" || ref.type === "gitlab" || ref.type === "sourcehut" || ref.type === "hg") && rev !== undefined) return rev;
  return "narHash" in ref ? ref.narHash : undefined;
}

/**
 * The text whose SHA-256 keys a locked flake's evaluation cache (modern Nix):
 * `<input fingerprint>;<dir>;<flake.lock text>[;revCount=N][;lastModified=N]`.
 */
export function flakeFingerprintText(lockedRef: FlakeRef, lockFileText: string): string | undefined {
  const fp = inputFingerprint(lockedRef);
  if (fp === undefined) return undefined;
  let s = `${fp};${lockedRef.dir ?? ""};${lockFileText}`;
  if ("revCount" in lockedRef && lockedRef.revCount !== undefined) s += `;revCount=${lockedRef.revCount}`;
  if ("lastModified" in lockedRef && lockedRef.lastModified !== undefined) s += `;lastModified=${lockedRef.lastModified}`;
  return s;
}

/** SHA-256 (hex) of flakeFingerprintText, or undefined for unlocked inputs. */
export function flakeFingerprint(lockedRef: FlakeRef, lockFileText: string): string | undefined {
  const text = flakeFingerprintText(lockedRef, lockFileText);
  return text === undefined ? undefined : Buffer.from(hashBytes("sha256", Buffer.from(text, "utf8")).bytes).toString("hex");
}
