// Reading a flake: fetch its source, evaluate flake.nix and check it with Nix's rules (only
// `description`, `inputs`, `outputs`, `nixConfig`; `inputs` as data; `outputs` a function).

import * as fs from "node:fs";
import * as path from "node:path";
import type { FetchedTree } from "../fetch/types.js";
import { EvalError } from "../eval/errors.js";
import type { Evaluator } from "../eval/evaluator.js";
import { expectAttrs } from "../eval/expect.js";
import { attrPos } from "../eval/state.js";
import { dirOf } from "../eval/paths.js";
import { Attrs, Lambda, NixPath, NixString, Thunk, showType, showTypeName, typeOf, type Pos, type Value } from "../eval/value.js";
import type { Expr } from "../lang/ast.js";
import { parse } from "../lang/parser.js";
import { BadFlakeRef, FlakeError } from "./errors.js";
import { realFlakeFile } from "./flake-file.js";
import { fetchOrResolve, flakeDirOf, type FlakeEnv } from "./flake-env.js";
import {
  flakeRefFromAttrs,
  flakeRefToString,
  parseFlakeRef,
  type Attrs as RefAttrs,
  type FlakeRef,
} from "./flake-ref.js";
import { parseInputPath, type InputPath } from "./lock-file.js";

/** One entry of a flake's `inputs` (or a nested override `inputs.a.inputs.b`). */
export interface FlakeInput {
  /** Where the input comes from; absent when it only `follows` another input. */
  readonly ref?: FlakeRef;
  /** False for `flake = false` inputs (plain source trees). */
  readonly isFlake: boolean;
  /** `follows = "a/b"`, made absolute (prefixed by the declaring flake's input path). */
  readonly follows?: InputPath;
  /** `inputs.<this>.inputs.<x> = …`: overrides of this input's own inputs. */
  readonly overrides: ReadonlyMap<string, FlakeInput>;
}

export type FlakeInputs = ReadonlyMap<string, FlakeInput>;

export type NixConfigValue = string | number | boolean | string[];

export interface Flake {
  /** The reference as given (may be indirect). */
  readonly originalRef: FlakeRef;
  /** After registry lookup. */
  readonly resolvedRef: FlakeRef;
  /** Pinned (rev/narHash…), with the original `dir`. */
  readonly lockedRef: FlakeRef;
  /** The fetched source tree (the whole repository, not just `dir`). */
  readonly tree: FetchedTree;
  /** Logical store directory holding flake.nix. */
  readonly flakeDir: string;
  readonly description?: string;
  readonly inputs: FlakeInputs;
  /** The `outputs` function. */
  readonly outputs: Value;
  readonly nixConfig: ReadonlyMap<string, NixConfigValue>;
}

/** Nix's `flake '<locked url>'` for messages. */
export function showFlake(env: FlakeEnv, ref: FlakeRef): string {
  return `flake '${flakeRefToString(ref, { style: env.style })}'`;
}

/** Only ASCII characters: the same in a byte string and in a JS string. */
const ASCII = /^[\x00-\x7f]*$/;

/** A JS (UTF-8) string from an evaluator byte string. */
export function fromBytes(s: string): string {
  // Names and labels are nearly always ASCII: no round trip through a Buffer (cheap, but done
  // for every attribute a `flake show` prints).
  return ASCII.test(s) ? s : Buffer.from(s, "latin1").toString("utf8");
}

/** An evaluator byte string from a JS string. */
export function toBytes(s: string): string {
  return ASCII.test(s) ? s : Buffer.from(s, "utf8").toString("latin1");
}

function force(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

function at(ev: Evaluator, pos: Pos | null): string {
  return pos === null ? "" : `, at ${ev.state.formatPos(pos)}`;
}

function inFlakeAttribute<T>(name: string, pos: Pos | null, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EvalError) e.addTrace(`in flake attribute '${fromBytes(name)}'`, pos);
    throw e;
  }
}

/**
 * Whether Nix holds the value of `e` as an unevaluated thunk that it does not force when reading
 * flake.nix: `inputs`, `outputs` and `description` must be written out (attribute sets, lists
 * and functions are forced; `let`, `import`, `+`, selections … stay thunks and are refused).
 */
function isNonTrivialThunk(e: Expr | undefined): boolean {
  if (e === undefined) return false;
  switch (e.kind) {
    case "Int": case "Float": case "String": case "Path": case "Var": case "Lambda": case "List":
      return false;
    case "Attrs":
      return e.dynamic.length > 0;
    default:
      return true;
  }
}

/** The expression of a static attribute `name` of an attribute set literal. */
function staticAttr(e: Expr | undefined, name: string): Expr | undefined {
  if (e === undefined || e.kind !== "Attrs") return undefined;
  return e.attrs.find((a) => a.name === name)?.value;
}

type FlakeType = "a set" | "a string" | "a Boolean" | "a function";

/** Nix's type check of flake.nix's attributes: "expected a set but got a thunk at POS". */
function expectFlakeType(ev: Evaluator, expected: FlakeType, v: Value, pos: Pos | null, e: Expr | undefined): Value {
  const got = isNonTrivialThunk(e) ? "a thunk" : null;
  const f = got === null ? force(v) : v;
  const actual = got ?? showTypeName(typeOf(f));
  if (actual !== expected) throw new FlakeError(`expected ${expected} but got ${actual}${pos === null ? "" : ` at ${ev.state.formatPos(pos)}`}`);
  return f;
}

/** Parses one input attribute set (`{ url = …; flake = false; follows = …; inputs = …; }`). */
function parseFlakeInput(ev: Evaluator, inputName: string, value: Value, pos: Pos | null, lockRootPath: InputPath, expr: Expr | undefined): FlakeInput {
  const set = expectFlakeType(ev, "a set", value, pos, expr) as Attrs;
  let url: string | undefined;
  let isFlake = true;
  let follows: InputPath | undefined;
  let overrides: FlakeInputs = new Map();
  const attrs: RefAttrs = {};
  for (const name of set.sortedNames()) {
    const apos = attrPos(set, name) ?? pos;
    const e = staticAttr(expr, name);
    inFlakeAttribute(name, apos, () => {
      const v = set.get(name)!;
      if (name === "url") {
        url = fromBytes(stringValue(expectFlakeType(ev, "a string", v, apos, e) as string | NixString));
        attrs["url"] = url;
      } else if (name === "flake") {
        isFlake = expectFlakeType(ev, "a Boolean", v, apos, e) as boolean;
      } else if (name === "inputs") {
        overrides = parseFlakeInputs(ev, v, apos, lockRootPath, e);
      } else if (name === "follows") {
        const text = fromBytes(stringValue(expectFlakeType(ev, "a string", v, apos, e) as string | NixString));
        follows = [...lockRootPath, ...parseInputPath(text)];
      } else {
        if (isNonTrivialThunk(e)) {
          throw new FlakeError(`flake input attribute '${fromBytes(name)}' is a thunk while a string, Boolean, or integer is expected`);
        }
        const x = force(v);
        if (typeof x === "string" || x instanceof NixString) attrs[fromBytes(name)] = fromBytes(stringValue(x));
        else if (typeof x === "boolean") attrs[fromBytes(name)] = x;
        else if (typeof x === "number" || typeof x === "bigint") attrs[fromBytes(name)] = Number(x);
        else {
          throw new EvalError(
            `flake input attribute '${fromBytes(name)}' is ${showType(x)} while a string, Boolean, or integer is expected`,
            "eval",
            apos,
          );
        }
      }
    });
  }
  let ref: FlakeRef | undefined;
  if (attrs["type"] !== undefined) {
    try {
      ref = flakeRefFromAttrs(attrs);
    } catch (e) {
      if (e instanceof FlakeError) throw new FlakeError(`${e.message}${at(ev, pos)} (in flake input '${fromBytes(inputName)}')`);
      throw e;
    }
  } else {
    const extra = Object.keys(attrs).filter((k) => k !== "url");
    if (extra.length > 0) throw new FlakeError(`unexpected flake input attribute '${extra[0]}'${at(ev, pos)}`);
    if (url !== undefined) {
      ref = parseFlakeRef(url, { isFlake, preserveRelativePaths: true, allowMissing: true });
    }
  }
  if (follows === undefined && ref === undefined) ref = { type: "indirect", id: fromBytes(inputName) };
  return {
    ...(ref !== undefined ? { ref } : {}),
    isFlake,
    ...(follows !== undefined ? { follows } : {}),
    overrides,
  };
}

function stringValue(s: string | NixString): string {
  return typeof s === "string" ? s : s.s;
}

/** Parses the `inputs` attribute set. */
export function parseFlakeInputs(ev: Evaluator, value: Value, pos: Pos | null, lockRootPath: InputPath, expr?: Expr): FlakeInputs {
  const set = expectFlakeType(ev, "a set", value, pos, expr) as Attrs;
  const out = new Map<string, FlakeInput>();
  for (const name of set.sortedNames()) {
    out.set(fromBytes(name), parseFlakeInput(ev, name, set.get(name)!, attrPos(set, name) ?? pos, lockRootPath, staticAttr(expr, name)));
  }
  return out;
}

function parseNixConfig(ev: Evaluator, value: Value, pos: Pos | null, expr: Expr | undefined): Map<string, NixConfigValue> {
  const set = expectFlakeType(ev, "a set", value, pos, expr) as Attrs;
  const out = new Map<string, NixConfigValue>();
  for (const name of set.sortedNames()) {
    const spos = attrPos(set, name) ?? pos;
    const key = fromBytes(name);
    // Settings, like inputs, must be written out.
    if (isNonTrivialThunk(staticAttr(expr, name))) throw new EvalError(`flake configuration setting '${key}' is a thunk`, "eval", spos);
    const v = force(set.get(name)!);
    if (typeof v === "string" || v instanceof NixString) out.set(key, fromBytes(stringValue(v)));
    else if (v instanceof NixPath) out.set(key, fromBytes(v.path));
    else if (typeof v === "number" || typeof v === "bigint") out.set(key, Number(v));
    else if (typeof v === "boolean") out.set(key, v);
    else if (Array.isArray(v)) {
      out.set(
        key,
        v.map((x) => {
          const e = force(x);
          if (typeof e !== "string" && !(e instanceof NixString)) {
            throw new EvalError(`list element in flake configuration setting '${key}' is ${showType(e)} while a string is expected`, "eval", spos);
          }
          return fromBytes(stringValue(e));
        }),
      );
    } else throw new EvalError(`flake configuration setting '${key}' is ${showType(v)}`, "eval", spos);
  }
  return out;
}

/**
 * Evaluates the flake.nix in `flakeDir` (a logical store path) of an already fetched source.
 * `lockRootPath` is the input path of this flake in the lock file being computed: `follows`
 * inside it are relative to it.
 */
export function readFlake(
  env: FlakeEnv,
  ev: Evaluator,
  refs: { originalRef: FlakeRef; resolvedRef: FlakeRef; lockedRef: FlakeRef },
  tree: FetchedTree,
  flakeDir: string,
  lockRootPath: InputPath,
): Flake {
  const { lockedRef } = refs;
  const flakeFile = path.posix.join(flakeDir, "flake.nix");
  const rel = path.posix.relative(tree.storePath, flakeFile);
  if (rel.startsWith("..")) throw new FlakeError(`'flake.nix' file of ${showFlake(env, lockedRef)} escapes from '${tree.storePath}'`);
  const io = ev.state.io;
  const fileBytes = toBytes(flakeFile);
  if (io.fileType(fileBytes) === null) {
    const untracked = untrackedInWorkTree(refs.originalRef, lockedRef, "flake.nix");
    if (untracked !== null) throw new FlakeError(untracked);
    throw new FlakeError(
      `source tree referenced by '${flakeRefToString(lockedRef, { style: env.style })}' does not contain a '${lockedRef.dir ?? ""}/flake.nix' file`,
    );
  }
  // A flake.nix that is a symbolic link is evaluated where it leads (its relative paths are
  // relative to there), which must be inside the source, as in Nix.
  const realFile = realFlakeFile(io, toBytes(ev.state.settings.storeDir), toBytes(tree.storePath), fileBytes, () => showFlake(env, lockedRef));
  // Nix requires the file to be an attribute set literal (no `let`, no function call at the top).
  const text = io.readFile(realFile);
  const source = { origin: "file" as const, path: realFile, text, baseDir: realFile === fileBytes ? toBytes(flakeDir) : dirOf(realFile) };
  const ast = parse(source);
  if (ast.kind !== "Attrs") throw new FlakeError(`file '${flakeFile}' must be an attribute set`);
  // Evaluated from this parse (parsing is a good part of a cached `flake show`).
  const top = expectAttrs(ev.evalParsedFile(source, ast), null);

  let description: string | undefined;
  const d = top.get("description");
  if (d !== undefined) description = fromBytes(stringValue(expectFlakeType(ev, "a string", d, attrPos(top, "description"), staticAttr(ast, "description")) as string | NixString));

  const inputs = new Map<string, FlakeInput>();
  const inputsV = top.get("inputs");
  if (inputsV !== undefined) {
    for (const [k, v] of parseFlakeInputs(ev, inputsV, attrPos(top, "inputs"), lockRootPath, staticAttr(ast, "inputs"))) inputs.set(k, v);
  }

  const outputs = top.get("outputs");
  if (outputs === undefined) throw new FlakeError(`${showFlake(env, lockedRef)} lacks attribute 'outputs'`);
  const fn = expectFlakeType(ev, "a function", outputs, attrPos(top, "outputs"), staticAttr(ast, "outputs"));
  // Arguments of `outputs` not declared in `inputs` are indirect inputs of that name.
  if (fn instanceof Lambda && fn.info.formals !== null) {
    for (const formal of fn.info.formals) {
      const name = fromBytes(formal.name);
      if (name === "self" || inputs.has(name)) continue;
      try {
        inputs.set(name, { ref: parseFlakeRef(name), isFlake: true, overrides: new Map() });
      } catch (e) {
        if (e instanceof BadFlakeRef) continue;
        throw e;
      }
    }
  }

  let nixConfig = new Map<string, NixConfigValue>();
  const nc = top.get("nixConfig");
  if (nc !== undefined) nixConfig = parseNixConfig(ev, nc, attrPos(top, "nixConfig"), staticAttr(ast, "nixConfig"));

  for (const name of top.sortedNames()) {
    if (name !== "description" && name !== "inputs" && name !== "outputs" && name !== "nixConfig") {
      throw new FlakeError(`${showFlake(env, lockedRef)} has an unsupported attribute '${fromBytes(name)}'${at(ev, attrPos(top, name))}`);
    }
  }

  return {
    ...refs,
    tree,
    flakeDir,
    ...(description !== undefined ? { description } : {}),
    inputs,
    outputs: fn,
    nixConfig,
  };
}

/**
 * Modern Nix's advice when a file the flake needs is in a local Git work tree but not tracked by
 * Git (only tracked files are copied, so `git init && tix flake init`-style flakes that skipped
 * `git add` would otherwise seem to lack it); null when that is not the case.
 */
function untrackedInWorkTree(originalRef: FlakeRef, lockedRef: FlakeRef, file: string): string | null {
  if (lockedRef.type !== "git" || !lockedRef.url.startsWith("file://")) return null;
  // An explicit revision or branch is not the work tree.
  if (originalRef.type === "git" && (originalRef.rev !== undefined || originalRef.ref !== undefined)) return null;
  let repo: string;
  try {
    repo = decodeURIComponent(new URL(lockedRef.url).pathname);
  } catch {
    return null;
  }
  const rel = path.posix.join(lockedRef.dir ?? "", file);
  if (!fs.existsSync(path.join(repo, rel))) return null;
  return (
    `Path '${rel}' in the repository "${repo}" is not tracked by Git.\n\n` +
    `To make it visible to Nix, run:\n\n` +
    `git -C "${repo}" add "${rel}"`
  );
}

/** Fetches (after registry lookup when allowed) and reads a flake. */
export function getFlake(env: FlakeEnv, ev: Evaluator, originalRef: FlakeRef, useRegistries: boolean, lockRootPath: InputPath = []): Flake {
  const { resolvedRef, lockedRef, tree } = fetchOrResolve(env, originalRef, useRegistries);
  return readFlake(env, ev, { originalRef, resolvedRef, lockedRef }, tree, flakeDirOf(tree, lockedRef.dir), lockRootPath);
}

