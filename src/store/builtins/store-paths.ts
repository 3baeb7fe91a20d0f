// Builtins that put things in the store or name store paths: toFile, path, filterSource,
// storePath, placeholder, hashFile, convertHash.
import { EvalError } from "../../eval/errors.js";
import { withOsErrors } from "../../eval/os-error.js";
import { expectAttrs, expectFunction, expectPlainString, expectString } from "../../eval/expect.js";
import { checkReadable } from "../../eval/builtins/paths.js";
import type { BuiltinRegistry } from "../../eval/builtins/registry.js";
import type { EvalState, FileType } from "../../eval/state.js";
import { Attrs, NixPath, NixString, Thunk, stringBytes, stringContext, type Pos, type Value } from "../../eval/value.js";
import { hashPlaceholder } from "../formats/derivation.js";
import { hashFileContents } from "../formats/nar-fs.js";
import { parseHash, printHash, type HashAlgo } from "../formats/hash.js";
import { makeFixedOutputPath } from "../formats/store-path.js";
import { FormatError } from "../formats/errors.js";
import { parseHashAlgoArg } from "./hashes.js";
import { baseName } from "../../eval/state.js";

function storePathOf(state: EvalState, path: string): string {
  const dir = state.settings.storeDir + "/";
  if (!path.startsWith(dir)) throw new EvalError(`path '${path}' is not in the Nix store`);
  const rest = path.slice(dir.length);
  const slash = rest.indexOf("/");
  return dir + (slash === -1 ? rest : rest.slice(0, slash));
}

function addPathWithFilter(
  state: EvalState,
  path: string,
  name: string,
  filterFn: Value | null,
  recursive: boolean,
  expectedHash: string | null,
  pos: Pos | null,
): Value {
  // As in Nix, a fixed-output copy (a hash given) is of the path as written, even in pure mode.
  if (expectedHash === null) path = state.sourcePath(path);
  else checkReadable(state, path);
  if (state.io.fileType(path) === null) throw new EvalError(`path '${path}' does not exist`, "eval", pos);
  const filter = filterFn
    ? (p: string, type: FileType): boolean => {
        const r = state.call(filterFn, [p, type], pos);
        const b = r instanceof Thunk ? r.force() : r;
        if (typeof b !== "boolean") throw new EvalError("filter function did not return a Boolean", "eval", pos);
        return b;
      }
    : undefined;
  // With a hash, the path is known in advance: as in Nix, it is used if valid already, and
  // otherwise the copy must come out at that path.
  const expected = expectedHash === null ? null : expectedStorePath(state, name, recursive, expectedHash, pos);
  if (expected !== null && state.store.isValid(expected)) return new NixString(expected, new Set([expected]));
  const storePath = state.store.addPath(path, name, { recursive, filter });
  if (expected !== null && storePath !== expected) {
    throw new EvalError(`store path mismatch in (possibly filtered) path added from '${path}'`, "eval", pos);
  }
  return new NixString(storePath, new Set([storePath]));
}

function expectedStorePath(state: EvalState, name: string, recursive: boolean, hashText: string, pos: Pos | null): string {
  try {
    const hash = /^[a-z0-9]+[:-]/.test(hashText) ? parseHash(hashText) : parseHash(hashText, "sha256");
    return makeFixedOutputPath(name, recursive ? "recursive" : "flat", hash, [], state.store.storeDir);
  } catch (e) {
    if (e instanceof FormatError) throw new EvalError(e.message, "eval", pos);
    throw e;
  }
}

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("toFile", 2, ([nameV, contentsV], pos) => {
    const name = expectPlainString(nameV, "while evaluating the first argument passed to builtins.toFile", pos);
    const contents = expectString(contentsV, "while evaluating the second argument passed to builtins.toFile", pos);
    const refs: string[] = [];
    for (const c of stringContext(contents)) {
      if (c.startsWith("=") || c.startsWith("!")) {
        throw new EvalError(`files created by builtins.toFile may not reference derivations, but ${name} references ${c.slice(c.lastIndexOf("!") + 1).replace(/^=/, "")}`, "eval", pos);
      }
      refs.push(c);
    }
    const storePath = state.store.addText(name, stringBytes(contents), refs);
    return new NixString(storePath, new Set([storePath]));
  });

  r.def("path", 1, ([argsV], pos) => {
    const args = expectAttrs(argsV, "while evaluating the first argument passed to builtins.path", pos);
    let path: string | null = null;
    let name: string | null = null;
    let filter: Value | null = null;
    let recursive = true;
    let hash: string | null = null;
    for (const [k, v] of args.map) {
      switch (k) {
        case "path":
          path = state.coercePath(v, "while evaluating the 'path' attribute passed to 'builtins.path'", pos).path;
          break;
        case "name":
          name = expectPlainString(v, "while evaluating the `name` attribute passed to builtins.path", pos);
          break;
        case "filter":
          filter = expectFunction(v, "while evaluating the `filter` parameter passed to builtins.path", pos);
          break;
        case "recursive": {
          const b = v instanceof Thunk ? v.force() : v;
          recursive = b === true;
          break;
        }
        case "sha256":
          hash = expectPlainString(v, "while evaluating the `sha256` attribute passed to builtins.path", pos);
          break;
        default:
          throw new EvalError(`unsupported argument '${k}' to 'builtins.path'`, "eval", pos);
      }
    }
    if (path === null) throw new EvalError("missing required 'path' attribute in the first argument to builtins.path", "eval", pos);
    return addPathWithFilter(state, path, name ?? baseName(path), filter, recursive, hash, pos);
  });

  r.def("filterSource", 2, ([filterV, pathV], pos) => {
    const filter = expectFunction(filterV, "while evaluating the first argument passed to builtins.filterSource", pos);
    const { path } = state.coercePath(pathV, "while evaluating the second argument passed to builtins.filterSource", pos);
    return addPathWithFilter(state, path, baseName(path), filter, true, null, pos);
  });

  r.def("storePath", 1, ([pathV], pos) => {
    if (state.settings.pure) throw new EvalError("'builtins.storePath' is not allowed in pure evaluation mode", "eval", pos);
    const { path } = state.coercePath(pathV, "while evaluating the first argument passed to builtins.storePath", pos);
    const sp = storePathOf(state, path);
    return new NixString(path, new Set([sp]));
  });

  r.def("placeholder", 1, ([nameV], pos) => {
    const name = expectPlainString(nameV, "while evaluating the first argument passed to builtins.placeholder", pos);
    return hashPlaceholder(name);
  });

  r.def("hashFile", 2, ([algoV, pathV], pos) => {
    const algoName = expectPlainString(algoV, "while evaluating the first argument passed to builtins.hashFile", pos);
    const algo = parseAlgo(algoName, pos);
    const { path } = state.coercePath(pathV, "while evaluating the second argument passed to builtins.hashFile", pos);
    checkReadable(state, path);
    const type = state.io.fileType(path);
    if (type === null) throw new EvalError(`path '${path}' does not exist`);
    // Like readFile: opening a directory succeeds, the first read fails (so no path is named).
    if (type === "directory") throw new EvalError("reading from file: Is a directory");
    const hostPath = state.io.hostPath?.(path) ?? path;
    const hash = withOsErrors("opening file", hostPath, () => hashFileContents(Buffer.from(hostPath, "latin1"), algo));
    return printHash(hash, "base16");
  });

  void Attrs;
  void NixPath;
}

function parseAlgo(name: string, pos: Pos | null): HashAlgo {
  return parseHashAlgoArg(name, pos);
}
