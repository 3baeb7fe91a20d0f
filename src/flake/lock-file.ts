// flake.lock: the graph of locked inputs (root node, locked nodes, `follows` edges), read from
// versions 5–7 and written as version 7 byte-for-byte like Nix; plus the update diff and commit message.

// Nodes are objects and edges point at them, so a node reachable along two input paths is one
// object; node keys (`nixpkgs`, `nixpkgs_2`, …) are assigned when serialising, depth-first from
// the root over inputs in name order, exactly as Nix names them.

import { LockFileError, BadFlakeRef } from "./errors.js";
import { compareCodePoints, dumpJson, sortedKeys, type JsonValue } from "./json.js";
import {
  FLAKE_ID_RE,
  flakeRefEquals,
  flakeRefFromAttrs,
  flakeRefToAttrs,
  flakeRefToString,
  isLocked,
  isRelative,
  type Attrs,
  type FlakeRef,
} from "./flake-ref.js";
import type { UrlStyle } from "./url.js";

/** A path of input names from the root flake: `["a", "b"]` is `a/b`. */
export type InputPath = readonly string[];

/** An input that follows another input (`inputs.x.follows = "a/b"`); `[]` is the root flake. */
export interface Follows {
  readonly kind: "follows";
  readonly path: InputPath;
}

/** The root flake's node: only its inputs. */
export interface RootNode {
  readonly kind: "root";
  readonly inputs: Map<string, LockEdge>;
}

/** A locked input. */
export interface LockedNode {
  readonly kind: "locked";
  readonly inputs: Map<string, LockEdge>;
  /** What the input was locked to (has rev/narHash/lastModified/…). */
  locked: FlakeRef;
  /** The reference as written in flake.nix (after `canonicalizeFlakeRef`). */
  original: FlakeRef;
  /** False for `flake = false` inputs (written as `"flake": false`). */
  isFlake: boolean;
  /** For relative `path:` inputs (modern Nix): the input path of the flake they are relative to. */
  parent?: InputPath;
}

export type LockNode = RootNode | LockedNode;
export type LockEdge = LockedNode | Follows;

export interface LockFile {
  readonly root: RootNode;
}

/** Reads versions 5, 6 and 7. */
export const MIN_LOCK_VERSION = 5;
export const MAX_LOCK_VERSION = 7;
/** Always written. */
export const LOCK_VERSION = 7;

export function newRootNode(): RootNode {
  return { kind: "root", inputs: new Map() };
}

export function newLockFile(): LockFile {
  return { root: newRootNode() };
}

export function newLockedNode(locked: FlakeRef, original: FlakeRef, isFlake = true, parent?: InputPath): LockedNode {
  const node: LockedNode = { kind: "locked", inputs: new Map(), locked, original, isFlake };
  if (parent !== undefined) node.parent = parent;
  return node;
}

export function follows(path: InputPath): Follows {
  return { kind: "follows", path: [...path] };
}

/** `a/b/c` */
export function printInputPath(path: InputPath): string {
  return path.join("/");
}

/** Parses `a/b/c` (as given to `--update-input`/`--override-input`), each element a flake id. */
export function parseInputPath(s: string): string[] {
  const path: string[] = [];
  for (const elem of s.split("/")) {
    if (elem === "") continue;
    if (!FLAKE_ID_RE.test(elem)) throw new LockFileError(`invalid flake input attribute path element '${elem}'`);
    path.push(elem);
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ParseLockFileOptions {
  /** File name used in error messages. */
  readonly path?: string;
  /** Accept locked entries that do not pin their input (no rev/narHash), like `--allow-dirty-locks`. */
  readonly allowDirtyLocks?: boolean;
  /** Receives warnings (unlocked entries that still carry a NAR hash). */
  readonly onWarning?: (message: string) => void;
  /** URL style for references quoted in messages. */
  readonly style?: UrlStyle;
}

const RECREATE_HINT = "delete it and run 'nix flake lock' to create a new one";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toAttrs(v: unknown): Attrs | undefined {
  if (!isObject(v)) return undefined;
  const out: Attrs = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== "string" && typeof x !== "number" && typeof x !== "boolean") return undefined;
    out[k] = x;
  }
  return out;
}

/** Parses flake.lock text. Errors name the file and say how to recover. */
export function parseLockFile(text: string, options: ParseLockFileOptions = {}): LockFile {
  const file = options.path ?? "flake.lock";
  const fail = (msg: string): never => {
    throw new LockFileError(msg);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`cannot parse lock file '${file}': ${(e as Error).message}; fix the JSON, or ${RECREATE_HINT}`);
  }
  if (!isObject(json)) fail(`lock file '${file}' is not a JSON object; ${RECREATE_HINT}`);
  const obj = json as Record<string, unknown>;
  const version = obj["version"] ?? 0;
  if (typeof version !== "number" || !Number.isInteger(version) || version < MIN_LOCK_VERSION || version > MAX_LOCK_VERSION) {
    fail(
      `lock file '${file}' has unsupported version ${typeof version === "number" ? version : JSON.stringify(version)} ` +
        `(versions ${MIN_LOCK_VERSION} to ${MAX_LOCK_VERSION} are supported); ${RECREATE_HINT}`,
    );
  }
  const nodes = obj["nodes"];
  if (!isObject(nodes)) fail(`lock file '${file}' has no 'nodes' object; ${RECREATE_HINT}`);
  const nodesObj = nodes as Record<string, unknown>;
  const rootKey = obj["root"];
  if (typeof rootKey !== "string") fail(`lock file '${file}' has no 'root' attribute; ${RECREATE_HINT}`);
  const rootJson = nodesObj[rootKey as string];
  if (!isObject(rootJson)) fail(`lock file '${file}' references missing node '${rootKey}'; ${RECREATE_HINT}`);

  const root = newRootNode();
  const nodeMap = new Map<string, LockNode>([[rootKey as string, root]]);

  const readRef = (key: string, jnode: Record<string, unknown>, attr: string, info?: string): FlakeRef => {
    let attrs = toAttrs(jnode[attr]);
    if (jnode[attr] === undefined) fail(`lock file '${file}': attribute '${attr}' missing in node '${key}'; ${RECREATE_HINT}`);
    if (attrs === undefined) fail(`lock file '${file}': attribute '${attr}' of node '${key}' is not a set of strings, integers and Booleans; ${RECREATE_HINT}`);
    if (info !== undefined && jnode[info] !== undefined) {
      const extra = toAttrs(jnode[info]);
      if (extra === undefined) fail(`lock file '${file}': attribute '${info}' of node '${key}' is malformed; ${RECREATE_HINT}`);
      attrs = { ...attrs, ...extra };
    }
    try {
      return flakeRefFromAttrs(attrs!);
    } catch (e) {
      if (e instanceof BadFlakeRef) fail(`lock file '${file}', node '${key}': ${e.message}; ${RECREATE_HINT}`);
      throw e;
    }
  };

  const readLockedNode = (key: string, jnode: Record<string, unknown>): LockedNode => {
    const locked = readRef(key, jnode, "locked", "info");
    const original = readRef(key, jnode, "original");
    const flake = jnode["flake"];
    if (flake !== undefined && typeof flake !== "boolean") fail(`lock file '${file}': 'flake' of node '${key}' is not a Boolean`);
    let parent: string[] | undefined;
    if (jnode["parent"] !== undefined) {
      const p = jnode["parent"];
      if (!Array.isArray(p) || !p.every((x) => typeof x === "string")) fail(`lock file '${file}': 'parent' of node '${key}' is not a list of strings`);
      parent = p as string[];
    }
    if (!isLocked(locked) && !isRelative(locked)) {
      if ("narHash" in locked && locked.narHash !== undefined) {
        options.onWarning?.(
          `Lock file entry '${flakeRefToString(locked, { style: options.style })}' is unlocked (e.g. lacks a Git revision) but does have a NAR hash. ` +
            "This is deprecated since such inputs are verifiable but may not be reproducible.",
        );
      } else if (!options.allowDirtyLocks) {
        fail(
          `Lock file '${file}' contains unlocked input '${dumpJson(flakeRefToAttrs(locked) as JsonValue, -1)}'. ` +
            `Use '--allow-dirty-locks' to accept this lock file, or run 'nix flake update' to re-lock it.`,
        );
      }
    }
    return newLockedNode(locked, original, flake !== false, parent);
  };

  const readInputs = (node: LockNode, key: string, jnode: Record<string, unknown>): void => {
    const inputs = jnode["inputs"];
    if (inputs === undefined) return;
    if (!isObject(inputs)) fail(`lock file '${file}': 'inputs' of node '${key}' is not an object; ${RECREATE_HINT}`);
    for (const name of sortedKeys(inputs as object)) {
      const v = (inputs as Record<string, unknown>)[name];
      if (Array.isArray(v)) {
        if (!v.every((x) => typeof x === "string")) fail(`lock file '${file}': input '${name}' of node '${key}' is not a list of strings`);
        node.inputs.set(name, follows(v as string[]));
        continue;
      }
      if (typeof v !== "string") fail(`lock file '${file}': input '${name}' of node '${key}' is neither a node name nor a follows path`);
      const childKey = v as string;
      let child = nodeMap.get(childKey);
      if (child === undefined) {
        const jchild = nodesObj[childKey];
        if (!isObject(jchild)) fail(`lock file '${file}' references missing node '${childKey}'; ${RECREATE_HINT}`);
        const locked = readLockedNode(childKey, jchild as Record<string, unknown>);
        nodeMap.set(childKey, locked);
        readInputs(locked, childKey, jchild as Record<string, unknown>);
        child = locked;
      }
      if (child.kind === "root") fail(`lock file '${file}' contains cycle to root node; ${RECREATE_HINT}`);
      node.inputs.set(name, child as LockedNode);
    }
  };

  readInputs(root, rootKey as string, rootJson as Record<string, unknown>);
  return { root };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** `name`, or `name_2`, `name_3`, … — the first not in `taken` (which it is then added to). */
export function uniqueNodeKey(name: string, taken: Set<string>): string {
  let key = name;
  for (let n = 2; taken.has(key); n++) key = `${name}_${n}`;
  taken.add(key);
  return key;
}

function sortedInputs(node: LockNode): [string, LockEdge][] {
  return [...node.inputs.entries()].sort((a, b) => compareCodePoints(a[0], b[0]));
}

/** The version-7 JSON value and the key given to each node. */
export function lockFileToJson(lock: LockFile): { json: { [k: string]: JsonValue }; keys: Map<LockNode, string> } {
  const keys = new Map<LockNode, string>();
  const taken = new Set<string>();
  const nodes: { [k: string]: JsonValue } = {};
  const dump = (name: string, node: LockNode): string => {
    const existing = keys.get(node);
    if (existing !== undefined) return existing;
    const key = uniqueNodeKey(name, taken);
    keys.set(node, key);
    const n: { [k: string]: JsonValue } = {};
    if (node.inputs.size > 0) {
      const inputs: { [k: string]: JsonValue } = {};
      for (const [id, edge] of sortedInputs(node)) {
        inputs[id] = edge.kind === "follows" ? [...edge.path] : dump(id, edge);
      }
      n["inputs"] = inputs;
    }
    if (node.kind === "locked") {
      n["original"] = flakeRefToAttrs(node.original);
      n["locked"] = flakeRefToAttrs(node.locked);
      if (!node.isFlake) n["flake"] = false;
      if (node.parent !== undefined) n["parent"] = [...node.parent];
    }
    nodes[key] = n;
    return key;
  };
  const rootKey = dump("root", lock.root);
  return { json: { nodes, root: rootKey, version: LOCK_VERSION }, keys };
}

/** flake.lock text exactly as Nix writes it (two-space JSON, sorted keys, trailing newline). */
export function serializeLockFile(lock: LockFile): string {
  return dumpJson(lockFileToJson(lock).json, 2) + "\n";
}

/** Same serialisation. */
export function lockFilesEqual(a: LockFile, b: LockFile): boolean {
  return serializeLockFile(a) === serializeLockFile(b);
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Every input path with its edge, in Nix's order; a node's inputs are listed under its first path only. */
export function getAllInputs(lock: LockFile): [InputPath, LockEdge][] {
  const done = new Set<LockNode>();
  const res: [InputPath, LockEdge][] = [];
  const recurse = (prefix: InputPath, node: LockNode) => {
    if (done.has(node)) return;
    done.add(node);
    for (const [id, edge] of sortedInputs(node)) {
      const p = [...prefix, id];
      res.push([p, edge]);
      if (edge.kind === "locked") recurse(p, edge);
    }
  };
  recurse([], lock.root);
  return res.sort((a, b) => compareInputPaths(a[0], b[0]));
}

/** Lexicographic over elements (`a/b` < `a/b/c` < `a/c`). */
export function compareInputPaths(a: InputPath, b: InputPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareCodePoints(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** The node an input path leads to, following `follows` edges; undefined if it does not exist. */
export function findInput(lock: LockFile, path: InputPath): LockNode | undefined {
  const visited: InputPath[] = [];
  const find = (p: InputPath): LockNode | undefined => {
    const seen = visited.findIndex((v) => compareInputPaths(v, p) === 0);
    if (seen >= 0) {
      const cycle = [...visited.slice(seen), p].map(printInputPath);
      throw new LockFileError(`follow cycle detected: [${cycle.join(" -> ")}]`);
    }
    visited.push(p);
    let pos: LockNode = lock.root;
    for (const elem of p) {
      const edge: LockEdge | undefined = pos.inputs.get(elem);
      if (edge === undefined) return undefined;
      if (edge.kind === "locked") pos = edge;
      else {
        const target = find(edge.path);
        if (target === undefined) return undefined;
        pos = target;
      }
    }
    return pos;
  };
  return find(path);
}

/** Problems Nix reports after locking: a `follows` pointing at an input that does not exist. */
export function checkLockFile(lock: LockFile): void {
  for (const [path, edge] of getAllInputs(lock)) {
    if (edge.kind === "follows" && edge.path.length > 0 && findInput(lock, edge.path) === undefined) {
      throw new LockFileError(`input '${printInputPath(path)}' follows a non-existent input '${printInputPath(edge.path)}'`);
    }
  }
}

/** The first locked reference that does not pin its contents (relative paths excepted), if any. */
export function findUnlockedInput(lock: LockFile): FlakeRef | undefined {
  for (const [, edge] of getAllInputs(lock)) {
    if (edge.kind === "locked" && !isLocked(edge.locked) && !isRelative(edge.locked)) return edge.locked;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Diff and commit message

const ANSI_BOLD = "\x1b[1m";
const ANSI_GREEN = "\x1b[32;1m";
const ANSI_RED = "\x1b[31;1m";
const ANSI_NORMAL = "\x1b[0m";

export interface DiffOptions {
  /** URL style for the references (2.8 prints `…%2f…=`, modern `…%2F…%3D` and forge narHashes). */
  readonly style?: UrlStyle;
  /** Colour the headings as Nix does on a terminal. */
  readonly color?: boolean;
}

/** `YYYY-MM-DD` (UTC) of a Unix time. */
export function formatLockDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** `'<url>' (YYYY-MM-DD)`, the date from lastModified when known. */
export function describeLockedRef(ref: FlakeRef, style?: UrlStyle): string {
  let s = `'${flakeRefToString(ref, { style })}'`;
  if ("lastModified" in ref && ref.lastModified !== undefined) s += ` (${formatLockDate(ref.lastModified)})`;
  return s;
}

function describeEdge(edge: LockEdge, style?: UrlStyle): string {
  return edge.kind === "follows" ? `follows '${printInputPath(edge.path)}'` : describeLockedRef(edge.locked, style);
}

function edgesEqual(a: LockEdge, b: LockEdge): boolean {
  if (a.kind === "locked" && b.kind === "locked") return flakeRefEquals(a.locked, b.locked);
  if (a.kind === "follows" && b.kind === "follows") return compareInputPaths(a.path, b.path) === 0;
  return false;
}

/**
 * Nix's summary of what changed between two lock files, one entry per changed input path:
 * `• Updated input 'x':\n    'old' (date)\n  → 'new' (date)\n`, `• Added input 'x':\n    'url' (date)\n`,
 * `• Removed input 'x'\n`. Empty when nothing changed.
 */
export function diffLockFiles(oldLock: LockFile, newLock: LockFile, options: DiffOptions = {}): string {
  const { style, color = false } = options;
  const on = (c: string) => (color ? c : "");
  const off = color ? ANSI_NORMAL : "";
  const a = getAllInputs(oldLock);
  const b = getAllInputs(newLock);
  let i = 0;
  let j = 0;
  let res = "";
  while (i < a.length || j < b.length) {
    const cmp = i >= a.length ? 1 : j >= b.length ? -1 : compareInputPaths(a[i]![0], b[j]![0]);
    if (cmp > 0) {
      const [path, edge] = b[j++]!;
      res += `• ${on(ANSI_GREEN)}Added input '${printInputPath(path)}':${off}\n    ${describeEdge(edge, style)}\n`;
    } else if (cmp < 0) {
      const [path] = a[i++]!;
      res += `• ${on(ANSI_RED)}Removed input '${printInputPath(path)}'${off}\n`;
    } else {
      const [path, oldEdge] = a[i++]!;
      const [, newEdge] = b[j++]!;
      if (!edgesEqual(oldEdge, newEdge)) {
        res +=
          `• ${on(ANSI_BOLD)}Updated input '${printInputPath(path)}':${off}\n` +
          `    ${describeEdge(oldEdge, style)}\n  → ${describeEdge(newEdge, style)}\n`;
      }
    }
  }
  return res;
}

/** Removes ANSI escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

export interface CommitMessageOptions {
  /** The lock file's path relative to the repository root (`flake.lock`, `sub/flake.lock`). */
  readonly relPath?: string;
  /** True when the lock file is new ("Add" instead of "Update"). */
  readonly created?: boolean;
  /** Replaces the first line (the `commit-lock-file-summary` setting). */
  readonly summary?: string;
}

/**
 * The commit message of `--commit-lock-file`: `flake.lock: Update`, a blank line,
 * `Flake lock file updates:`, a blank line, then the diff lines (without colours).
 */
export function lockFileCommitMessage(diff: string, options: CommitMessageOptions = {}): string {
  const relPath = options.relPath ?? "flake.lock";
  const summary = options.summary !== undefined && options.summary !== "" ? options.summary : `${relPath}: ${options.created ? "Add" : "Update"}`;
  return `${summary}\n\nFlake lock file updates:\n\n${stripAnsi(diff)}`;
}
