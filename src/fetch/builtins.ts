// The fetching builtins: fetchTree, fetchGit, fetchTarball and fetchurl, with pure-mode rules.
// They reach the store and cache through a FetchContext supplied by the caller's factory.

import { EvalError } from "../eval/errors.js";
import { expectPlainString } from "../eval/expect.js";
import type { BuiltinRegistry, RegisterBuiltins } from "../eval/builtins/registry.js";
import type { EvalState } from "../eval/state.js";
import { Attrs, NixPath, NixString, Thunk, showType, type Pos, type Value } from "../eval/value.js";
import { StoreError } from "../store/errors.js";
import { hashFileContents } from "../store/formats/nar-fs.js";
import { FormatError, hashEquals, makeFixedOutputPath, parseHash, printHash, type Hash } from "../store/formats/index.js";
import type { FetchContext, FetchedTree, InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";
import { fetchTree, isLockedInput } from "./fetch-tree.js";
import { inputToUrl, parseInputUrl } from "./input-url.js";
import { download } from "./download.js";
import { downloadTarball } from "./tarball.js";
import { fromBytes, toBytes } from "./util.js";

/** Makes the fetch builtins; `getCtx` is asked for the context when a builtin first runs. */
export function makeFetchBuiltins(getCtx: (state: EvalState) => FetchContext): RegisterBuiltins {
  return (r: BuiltinRegistry) => register(r, getCtx);
}

function forced(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

/** Runs a fetch, turning fetcher and store errors into evaluation errors at `pos`. */
function guard<T>(pos: Pos | null, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FetchError || e instanceof StoreError || e instanceof FormatError) throw new EvalError(e.message, "eval", pos);
    throw e;
  }
}

function storeString(path: string): NixString {
  return new NixString(path, new Set([path]));
}

/** A string or path argument as a JS string (paths are not copied). */
function stringArg(state: EvalState, v: Value, pos: Pos | null): string {
  const f = forced(v);
  if (f instanceof NixPath) return fromBytes(f.path);
  if (typeof f === "string" || f instanceof NixString) return fromBytes(typeof f === "string" ? f : f.s);
  const s = state.coerceToString(f, { copyToStore: false }, pos);
  return fromBytes(typeof s === "string" ? s : s.s);
}

function treeAttrs(tree: FetchedTree, type: string, emptyRevFallback: boolean): Attrs {
  const m = new Map<string, Value>();
  m.set("outPath", storeString(tree.storePath));
  m.set("narHash", tree.narHash);
  if (type === "git") m.set("submodules", tree.submodules ?? false);
  if (tree.rev !== undefined) {
    m.set("rev", tree.rev);
    m.set("shortRev", tree.shortRev ?? tree.rev.slice(0, 7));
  } else if (emptyRevFallback) {
    m.set("rev", "0".repeat(40));
    m.set("shortRev", "0".repeat(7));
  }
  if (tree.revCount !== undefined) m.set("revCount", tree.revCount);
  else if (emptyRevFallback) m.set("revCount", 0);
  if (tree.dirtyRev !== undefined) m.set("dirtyRev", tree.dirtyRev);
  if (tree.dirtyShortRev !== undefined) m.set("dirtyShortRev", tree.dirtyShortRev);
  if (tree.lastModified !== undefined) {
    m.set("lastModified", tree.lastModified);
    m.set("lastModifiedDate", tree.lastModifiedDate ?? "");
  } else if (emptyRevFallback) {
    m.set("lastModified", 0);
    m.set("lastModifiedDate", "19700101000000");
  }
  return new Attrs(m);
}

function checkPure(state: EvalState, fetcher: string, attrs: InputAttrs, pos: Pos | null): void {
  if (state.settings.pure && !isLockedInput(attrs)) {
    throw new EvalError(`in pure evaluation mode, '${fetcher}' will not fetch unlocked input '${inputToUrl(attrs)}'`, "eval", pos);
  }
}

/** Parses a `sha256` argument (base-16, nix32, base-64 or SRI). */
function sha256Arg(text: string, pos: Pos | null): Hash {
  try {
    return parseHash(text, "sha256");
  } catch (e) {
    throw new EvalError((e as Error).message, "eval", pos);
  }
}

function mismatch(url: string, want: Hash, got: Hash): FetchError {
  return new FetchError(
    `hash mismatch in file downloaded from '${url}':\n  specified: ${printHash(want, "nix32", true)}\n  got:       ${printHash(got, "nix32", true)}`,
  );
}

function register(r: BuiltinRegistry, getCtx: (state: EvalState) => FetchContext): void {
  const state = r.state;
  let ctx: FetchContext | null = null;
  const context = (): FetchContext => (ctx ??= getCtx(state));

  r.def("fetchTree", 1, ([argV], pos) => {
    const arg = forced(argV);
    let attrs: InputAttrs;
    if (arg instanceof Attrs) {
      const out: Record<string, string | number | boolean> = {};
      for (const name of arg.sortedNames()) {
        const v = forced(arg.get(name)!);
        if (typeof v === "boolean") out[name] = v;
        else if (typeof v === "number") out[name] = v;
        else if (typeof v === "bigint") out[name] = Number(v);
        else if (typeof v === "string" || v instanceof NixString || v instanceof NixPath) out[name] = stringArg(state, v, pos);
        else throw new EvalError(`argument '${name}' to 'fetchTree' is ${showType(v)} while a string, Boolean or integer is expected`, "eval", pos);
      }
      if (out.type === undefined) throw new EvalError("attribute 'type' is missing in call to 'fetchTree'", "eval", pos);
      attrs = out;
    } else {
      const url = stringArg(state, arg, pos);
      attrs = guard(pos, () => parseInputUrl(url));
    }
    checkPure(state, "fetchTree", attrs, pos);
    const tree = guard(pos, () => fetchTree(context(), attrs));
    return treeAttrs(tree, String(attrs.type), false);
  });

  r.def("fetchGit", 1, ([argV], pos) => {
    const arg = forced(argV);
    const attrs: Record<string, string | number | boolean> = { type: "git" };
    if (arg instanceof Attrs) {
      for (const name of arg.sortedNames()) {
        const v = arg.get(name)!;
        switch (name) {
          case "url":
            attrs.url = stringArg(state, v, pos);
            break;
          case "ref":
          case "rev":
          case "name":
          case "narHash":
            attrs[name] = fromBytes(expectPlainString(v, `while evaluating the '${name}' attribute passed to builtins.fetchGit`, pos));
            break;
          case "submodules":
          case "shallow":
          case "allRefs":
          case "exportIgnore":
          case "lfs": {
            const b = forced(v);
            if (typeof b !== "boolean") throw new EvalError(`expected a Boolean but found ${showType(b)}`, "eval", pos);
            attrs[name] = b;
            break;
          }
          case "revCount":
          case "lastModified": {
            const n = forced(v);
            if (typeof n !== "number") throw new EvalError(`expected an integer but found ${showType(n)}`, "eval", pos);
            attrs[name] = n;
            break;
          }
          default:
            throw new EvalError(`unsupported argument '${name}' to 'fetchGit'`, "eval", pos);
        }
      }
      if (attrs.url === undefined) throw new EvalError("'url' argument required", "eval", pos);
    } else attrs.url = stringArg(state, arg, pos);
    // Plain paths are local repositories.
    if (typeof attrs.url === "string" && attrs.url.startsWith("/")) attrs.url = `file://${attrs.url}`;
    checkPure(state, "fetchGit", attrs, pos);
    const tree = guard(pos, () => fetchTree(context(), attrs));
    return treeAttrs(tree, "git", true);
  });

  /** Common argument handling of fetchurl and fetchTarball. */
  const urlArgs = (
    who: string,
    argV: Value,
    pos: Pos | null,
  ): { url: string; name: string | undefined; hash: Hash | undefined } => {
    const arg = forced(argV);
    let url: string | undefined;
    let name: string | undefined;
    let hash: Hash | undefined;
    if (arg instanceof Attrs) {
      for (const k of arg.sortedNames()) {
        const v = arg.get(k)!;
        if (k === "url") url = stringArg(state, v, pos);
        else if (k === "name") name = fromBytes(expectPlainString(v, `while evaluating the name of the ${who}`, pos));
        else if (k === "sha256" || (k === "hash" && who === "fetchurl")) {
          const text = expectPlainString(v, `while evaluating the sha256 of the ${who}`, pos);
          hash = sha256Arg(text, pos);
        } else throw new EvalError(`unsupported argument '${k}' to '${who}'`, "eval", pos);
      }
      if (url === undefined) throw new EvalError("'url' argument required", "eval", pos);
    } else url = stringArg(state, arg, pos);
    if (state.settings.pure && hash === undefined) {
      throw new EvalError(`in pure evaluation mode, '${who}' requires a 'sha256' argument`, "eval", pos);
    }
    return { url, name, hash };
  };

  r.def("fetchTarball", 1, ([argV], pos) => {
    const { url, name = "source", hash } = urlArgs("fetchTarball", argV, pos);
    const c = context();
    if (hash !== undefined) {
      const expected = guard(pos, () => makeFixedOutputPath(name, "recursive", hash, [], c.store.storeDir));
      if (c.store.isValid(expected)) return storeString(expected);
    }
    const tree = guard(pos, () => downloadTarball(c, url, name));
    if (hash !== undefined) {
      const got = c.store.requirePathInfo(tree.storePath).narHash;
      if (!hashEquals(hash, got)) throw new EvalError(mismatch(url, hash, got).message, "eval", pos);
    }
    return storeString(tree.storePath);
  });

  r.def("fetchurl", 1, ([argV], pos) => {
    const args = urlArgs("fetchurl", argV, pos);
    const url = args.url;
    const name = args.name ?? baseNameOfUrl(url);
    const c = context();
    const hash = args.hash;
    if (hash !== undefined) {
      const expected = guard(pos, () => makeFixedOutputPath(name, "flat", hash, [], c.store.storeDir));
      if (c.store.isValid(expected)) return storeString(expected);
    }
    const storePath = guard(pos, () => {
      const dl = download(c, url);
      if (hash !== undefined) {
        const got = hashFileContents(dl.file, hash.algo);
        if (!hashEquals(hash, got)) throw mismatch(url, hash, got);
      }
      return c.store.addFile(toBytes(dl.file), name);
    });
    return storeString(storePath);
  });
}

/** The last path component of a URL (what `fetchurl` names its result by default). */
function baseNameOfUrl(url: string): string {
  let u = url;
  const q = u.search(/[?#]/);
  if (q !== -1) u = u.slice(0, q);
  u = u.replace(/\/+$/, "");
  const slash = u.lastIndexOf("/");
  return slash === -1 ? u : u.slice(slash + 1);
}
