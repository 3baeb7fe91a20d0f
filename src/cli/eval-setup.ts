// Shared set-up of an evaluation from command-line options: settings, search path, auto-args,
// attribute paths. Used by `tix instantiate`, `tix eval` and `tix build`.
import * as path from "node:path";
import { EvalError } from "../eval/errors.js";
import { STORE_BUILTINS } from "../store/builtins/index.js";
import { Evaluator } from "../eval/evaluator.js";
import { nodeEvalIO } from "../eval/fs-io.js";
import { defaultSettings, type EvalIO, type EvalSettings, type EvalStore, type NixPathEntry } from "../eval/state.js";
import type { RegisterBuiltins } from "../eval/builtins/registry.js";
import { Attrs, Lambda, Thunk, type Value } from "../eval/value.js";
import { expectAttrs, expectList } from "../eval/expect.js";

/** Parses `NIX_PATH`-style text (`prefix=path:path2`), keeping `scheme://` URLs whole. */
export function parseSearchPath(text: string): NixPathEntry[] {
  const out: NixPathEntry[] = [];
  const parts = text.split(":");
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i];
    while (i + 1 < parts.length && parts[i + 1].startsWith("//")) part += ":" + parts[++i];
    if (part === "") continue;
    out.push(parseSearchPathEntry(part));
  }
  return out;
}

export function parseSearchPathEntry(entry: string): NixPathEntry {
  const eq = entry.indexOf("=");
  return eq === -1 ? { prefix: "", path: entry } : { prefix: entry.slice(0, eq), path: entry.slice(eq + 1) };
}

export interface EvalCliOptions {
  includes: string[];
  pure: boolean;
  store: EvalStore;
  env?: NodeJS.ProcessEnv;
  /** Builtins beyond the store's (fetchers, getFlake). */
  extraBuiltins?: readonly RegisterBuiltins[];
  /** Overrides the platform's system type (`--system`). */
  system?: string;
  /**
   * Where the store's paths really are, for a store that does not say (a MemoryStore over a
   * `--store DIR` chroot store, whose fetched paths the evaluation reads).
   */
  realStoreDir?: string;
}

/**
 * File access for an evaluation whose store lives under another root (`--store DIR`): logical
 * store paths are read at their physical location.
 */
export function storeMappedIO(io: EvalIO, storeDir: string, realStoreDir: string): EvalIO {
  if (storeDir === realStoreDir) return io;
  const prefix = storeDir + "/";
  const map = (p: string): string => (p === storeDir || p.startsWith(prefix) ? realStoreDir + p.slice(storeDir.length) : p);
  return {
    ...io,
    readFile: (p) => io.readFile(map(p)),
    fileType: (p) => io.fileType(map(p)),
    readDir: (p) => io.readDir(map(p)),
    readLink: (p) => io.readLink(map(p)),
    hostPath: map,
  };
}

export function makeEvaluator(opts: EvalCliOptions): Evaluator {
  const env = opts.env ?? process.env;
  const nixPath = [...opts.includes.map(parseSearchPathEntry), ...(env.NIX_PATH ? parseSearchPath(env.NIX_PATH) : [])];
  const settings: EvalSettings = {
    ...defaultSettings,
    pure: opts.pure,
    nixPath: opts.pure ? [] : nixPath,
    system: evalSystem(opts.system, env),
    cwd: Buffer.from(process.cwd(), "utf8").toString("latin1"),
  };
  let io = nodeEvalIO(env);
  const real = (opts.store as { realStoreDir?: unknown }).realStoreDir ?? opts.realStoreDir;
  if (typeof real === "string") io = storeMappedIO(io, opts.store.storeDir, Buffer.from(real, "utf8").toString("latin1"));
  return new Evaluator({ settings, io, store: opts.store, extraBuiltins: [...STORE_BUILTINS, ...(opts.extraBuiltins ?? [])] });
}

/** The system type evaluations see: `--system`, else TIX_SYSTEM, else this platform's. */
export function evalSystem(system: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return system ?? env.TIX_SYSTEM ?? defaultSystem();
}

function defaultSystem(): string {
  const arch = process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch;
  return `${arch}-${process.platform}`;
}

export type AutoArgs = Map<string, Value>;

/** Calls a function with `--arg`/`--argstr` values, as nix-instantiate does. */
export function autoCall(ev: Evaluator, v: Value, args: AutoArgs): Value {
  let f = v instanceof Thunk ? v.force() : v;
  if (f instanceof Attrs && f.has("__functor")) {
    const inner = ev.state.call(f.get("__functor")!, [f], null);
    const g = inner instanceof Thunk ? inner.force() : inner;
    if (g instanceof Lambda && g.info.formals !== null) return ev.state.call(f, [buildArgs(g, args)], null);
    return f;
  }
  if (!(f instanceof Lambda) || f.info.formals === null) return f;
  return ev.state.callLambda(f, buildArgs(f, args), null);
}

function buildArgs(f: Lambda, args: AutoArgs): Attrs {
  const map = new Map<string, Value>();
  if (f.info.ellipsis) for (const [k, v] of args) map.set(k, v);
  else
    for (const formal of f.info.formals!) {
      const a = args.get(formal.name);
      if (a !== undefined) map.set(formal.name, a);
      else if (formal.default === null) {
        throw new EvalError(
          `cannot evaluate a function that has an argument without a value ('${formal.name}')\nNix attempted to evaluate a function as a top level expression; in\nthis case it must have its arguments supplied either by default\nvalues, or passed explicitly with '--arg' or '--argstr'. See\nhttps://nixos.org/manual/nix/stable/language/constructs.html#functions.`,
          "eval",
          f.info.pos,
        );
      }
    }
  return new Attrs(map);
}

/** Splits an attribute path `a.b."c.d".0` into components. */
export function parseAttrPath(p: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '"') quoted = !quoted;
    else if (c === "." && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (quoted) throw new EvalError(`missing closing quote in selection path '${p}'`);
  if (p !== "") out.push(cur);
  return out;
}

/** Follows an attribute path, auto-calling functions along the way (`-A`). */
export function findAlongAttrPath(ev: Evaluator, root: Value, attrPath: string, args: AutoArgs): Value {
  let v = root;
  for (const comp of parseAttrPath(attrPath)) {
    v = autoCall(ev, v, args);
    if (/^\d+$/.test(comp)) {
      const list = v instanceof Thunk ? v.force() : v;
      if (Array.isArray(list)) {
        const i = Number(comp);
        if (i >= list.length) throw new EvalError(`list index ${i} in selection path '${attrPath}' is out of range`);
        v = list[i];
        continue;
      }
    }
    const set = (() => {
      try {
        return expectAttrs(v, null);
      } catch {
        throw new EvalError(`the expression selected by the selection path '${attrPath}' should be a set but is ${typeName(v)}`);
      }
    })();
    const next = set.get(comp);
    if (next === undefined) throw new EvalError(`attribute '${comp}' in selection path '${attrPath}' not found`);
    v = next;
  }
  void expectList;
  return v;
}

function typeName(v: Value): string {
  const f = v instanceof Thunk ? v.force() : v;
  return Array.isArray(f) ? "a list" : typeof f === "number" ? "an integer" : typeof f === "string" ? "a string" : "another value";
}

export function absolutePath(p: string): string {
  return path.resolve(p);
}
