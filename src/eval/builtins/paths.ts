// Builtins that read files and resolve paths: import, readFile, readDir, pathExists, findFile, …
// (Builtins that write to the store — toFile, path, derivation — come from the store layer.)
import { COERCE_NO_COPY } from "../state.js";
import { EvalError } from "../errors.js";
import { expectAttrs, expectList, expectPlainString } from "../expect.js";
import { canonPath, dirOf } from "../paths.js";
import { resolveExprPath } from "../expr-path.js";
import type { EvalState } from "../state.js";
import { Attrs, NixPath, NixString, Thunk, mkString, stringBytes, stringContext, type Value } from "../value.js";
import type { BuiltinRegistry } from "./registry.js";

/** Checks pure-mode access rules before reading a path. */
export function checkReadable(state: EvalState, path: string): void {
  state.checkReadable(path);
}

function realPathOf(state: EvalState, v: Value, what: string): string {
  const { path } = state.coercePath(v, `while evaluating the first argument passed to builtins.${what}`);
  checkReadable(state, path);
  return path;
}

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("import", 1, ([p]) => {
    const path = realPathOf(state, p, "import");
    return state.evalFile(path);
  });

  r.def("scopedImport", 2, ([scope, p]) => {
    const attrs = expectAttrs(scope, "while evaluating the first argument passed to builtins.scopedImport");
    const path = realPathOf(state, p, "scopedImport");
    const file = resolveExprPath(state.io, path);
    if (state.io.fileType(file) === null) throw new EvalError(`path '${file}' does not exist`);
    // Evaluated afresh each time: the given set shadows the global scope like a `with`.
    return state.evalSourceWithScope(
      { origin: "file", path: file, text: state.io.readFile(file), baseDir: dirOf(file) },
      attrs,
    );
  });

  r.def("readFile", 1, ([p]) => {
    const path = realPathOf(state, p, "readFile");
    const type = state.io.fileType(path);
    if (type === null) throw new EvalError(`path '${path}' does not exist`);
    // Nix opens the directory fine and fails on the first read, so its message names no path.
    if (type === "directory") throw new EvalError("reading from file: Is a directory");
    const text = state.io.readFile(path);
    if (text.includes("\0")) {
      throw new EvalError(`the contents of the file '${path}' cannot be represented as a Nix string`);
    }
    return text;
  });

  r.def("readDir", 1, ([p]) => {
    const path = realPathOf(state, p, "readDir");
    if (state.io.fileType(path) === null) throw new EvalError(`path '${path}' does not exist`);
    const entries = state.io.readDir(path);
    return new Attrs(new Map(entries.map(([name, type]) => [name, type] as [string, Value])));
  });

  r.def("readFileType", 1, ([p]) => {
    const path = realPathOf(state, p, "readFileType");
    const type = state.io.fileType(path);
    if (type === null) throw new EvalError(`path '${path}' does not exist`);
    return type;
  });

  r.def("pathExists", 1, ([p]) => {
    let v = p instanceof Thunk ? p.force() : p;
    let path: string;
    if (v instanceof NixPath) path = v.path;
    else {
      const s = state.coerceToString(v, COERCE_NO_COPY);
      path = stringBytes(s);
      if (!path.startsWith("/")) {
        throw new EvalError(`string '${path}' doesn't represent an absolute path`).addTrace(
          "while evaluating the first argument passed to builtins.pathExists",
        );
      }
    }
    const mustBeDir = path.endsWith("/") || path.endsWith("/.");
    path = canonPath(path);
    // As Nix: a path pure evaluation may not read does not exist for it (no error).
    if (state.readProblem(path) !== undefined) return false;
    const t = followType(state, path);
    return t !== null && (!mustBeDir || t === "directory");
  });

  r.def("baseNameOf", 1, ([p]) => {
    const v = p instanceof Thunk ? p.force() : p;
    const s = state.coerceToString(v, COERCE_NO_COPY);
    const str = stringBytes(s);
    const trimmed = str.endsWith("/") ? str.slice(0, -1) : str;
    return mkString(trimmed.slice(trimmed.lastIndexOf("/") + 1), stringContext(s));
  });

  r.def("dirOf", 1, ([p]) => {
    const v = p instanceof Thunk ? p.force() : p;
    if (v instanceof NixPath) return new NixPath(dirOf(v.path));
    const s = state.coerceToString(v, COERCE_NO_COPY);
    return mkString(dirOf(stringBytes(s)), stringContext(s));
  });

  r.def("toPath", 1, ([p]) => {
    const s = state.coerceToString(p, COERCE_NO_COPY);
    const str = stringBytes(s);
    if (!str.startsWith("/")) throw new EvalError(`string '${str}' doesn't represent an absolute path`);
    return mkString(canonPath(str), stringContext(s));
  });

  r.def("findFile", 2, ([searchPath, name]) => {
    const entries = expectList(searchPath, "while evaluating the first argument passed to builtins.findFile");
    const wanted = expectPlainString(name, "while evaluating the second argument passed to builtins.findFile");
    for (const entry of entries) {
      const e = expectAttrs(entry, "while evaluating an element of the list passed to builtins.findFile");
      const prefixV = e.get("prefix");
      const prefix = prefixV === undefined ? "" : expectPlainString(prefixV, "while evaluating the `prefix` attribute of an element of the list passed to builtins.findFile");
      const pathV = e.get("path");
      if (pathV === undefined) throw new EvalError("attribute 'path' missing");
      let base = stringBytes(state.coerceToString(pathV, COERCE_NO_COPY));
      if (!base.startsWith("/") && !/^[a-z][a-z0-9+.-]*:/i.test(base)) base = canonPath(`${state.settings.cwd ?? "/"}/${base}`);
      let rest: string;
      if (prefix === "") rest = wanted;
      else if (wanted === prefix) rest = "";
      else if (wanted.startsWith(prefix + "/")) rest = wanted.slice(prefix.length + 1);
      else continue;
      const candidate = canonPath(rest === "" ? base : `${base}/${rest}`);
      if (followType(state, candidate) !== null) return new NixPath(candidate);
    }
    throw new EvalError(`file '${wanted}' was not found in the Nix search path (add it using $NIX_PATH or -I)`, "throw");
  });

  r.constant(
    "nixPath",
    state.settings.nixPath.map(
      (e) => new Attrs(new Map<string, Value>([["path", e.path], ["prefix", e.prefix]])),
    ),
  );
  void NixString;
}

/** The type of a path after following symlinks, or null if missing. */
function followType(state: EvalState, path: string): string | null {
  let t = state.io.fileType(path);
  for (let hops = 0; t === "symlink" && hops < 40; hops++) {
    const target = state.io.readLink(path);
    path = target.startsWith("/") ? canonPath(target) : canonPath(dirOf(path) + "/" + target);
    t = state.io.fileType(path);
  }
  return t;
}
