// String context builtins (§4.9): inspecting, adding and dropping the store paths a string refers to.
// Context elements are encoded as in value.ts: "/p" opaque, "=/p.drv" all outputs, "!out!/p.drv" one output.
import { EvalError } from "../errors.js";
import { COERCE_INTERPOLATE, attrPos } from "../state.js";
import { expectAttrs, expectBool, expectList, expectPlainString, expectString } from "../expect.js";
import { Attrs, NixString, compareNames, mkString, stringBytes, stringContext, type Value } from "../value.js";
import type { BuiltinRegistry } from "./registry.js";
import { coerceArg } from "./string-args.js";

/** A decoded context element. */
export type ContextElement =
  | { readonly kind: "opaque"; readonly path: string }
  | { readonly kind: "allOutputs"; readonly drvPath: string }
  | { readonly kind: "output"; readonly drvPath: string; readonly output: string };

export function decodeContextElement(c: string): ContextElement {
  if (c.startsWith("=")) return { kind: "allOutputs", drvPath: c.slice(1) };
  if (c.startsWith("!")) {
    const end = c.indexOf("!", 1);
    return { kind: "output", drvPath: c.slice(end + 1), output: c.slice(1, end) };
  }
  return { kind: "opaque", path: c };
}

export function encodeContextElement(e: ContextElement): string {
  switch (e.kind) {
    case "opaque":
      return e.path;
    case "allOutputs":
      return "=" + e.drvPath;
    case "output":
      return `!${e.output}!${e.drvPath}`;
  }
}

/** The store path a context element refers to. */
export function contextElementPath(c: string): string {
  const e = decodeContextElement(c);
  return e.kind === "opaque" ? e.path : e.drvPath;
}

export function register(r: BuiltinRegistry): void {
  const state = r.state;
  const storeDir = state.settings.storeDir;

  r.def("unsafeDiscardStringContext", 1, ([v], pos) => {
    const s = coerceArg(state, v, COERCE_INTERPOLATE, "while evaluating the argument passed to builtins.unsafeDiscardStringContext", pos);
    return stringBytes(s);
  });

  r.def("hasContext", 1, ([v], pos) => {
    const s = expectString(v, "while evaluating the argument passed to builtins.hasContext", pos);
    return stringContext(s).size > 0;
  });

  r.def("unsafeDiscardOutputDependency", 1, ([v], pos) => {
    const s = coerceArg(state, v, COERCE_INTERPOLATE, "while evaluating the argument passed to builtins.unsafeDiscardOutputDependency", pos);
    if (typeof s === "string") return s;
    const ctx = new Set<string>();
    for (const c of s.ctx) ctx.add(c.startsWith("=") ? c.slice(1) : c);
    return new NixString(s.s, ctx);
  });

  r.def("addDrvOutputDependencies", 1, ([v], pos) => {
    const s = coerceArg(state, v, COERCE_INTERPOLATE, "while evaluating the argument passed to builtins.addDrvOutputDependencies", pos);
    const ctx = stringContext(s);
    if (ctx.size !== 1) {
      throw new EvalError(
        `context of string '${stringBytes(s)}' must have exactly one element, but has ${ctx.size}`,
        "eval",
        pos,
      );
    }
    const e = decodeContextElement([...ctx][0]);
    switch (e.kind) {
      case "allOutputs":
        return s; // idempotent
      case "output":
        throw new EvalError(
          `\`addDrvOutputDependencies\` can only act on derivations, not on a derivation output such as '${e.output}'`,
          "eval",
          pos,
        );
      case "opaque":
        if (!e.path.endsWith(".drv")) throw new EvalError(`path '${e.path}' is not a derivation`, "eval", pos);
        return new NixString(stringBytes(s), new Set(["=" + e.path]));
    }
  });

  r.def("getContext", 1, ([v], pos) => {
    const s = expectString(v, "while evaluating the argument passed to builtins.getContext", pos);
    interface Info {
      path: boolean;
      allOutputs: boolean;
      outputs: string[];
    }
    const byPath = new Map<string, Info>();
    const info = (p: string): Info => {
      let i = byPath.get(p);
      if (i === undefined) byPath.set(p, (i = { path: false, allOutputs: false, outputs: [] }));
      return i;
    };
    for (const c of stringContext(s)) {
      const e = decodeContextElement(c);
      if (e.kind === "opaque") info(e.path).path = true;
      else if (e.kind === "allOutputs") info(e.drvPath).allOutputs = true;
      else info(e.drvPath).outputs.push(e.output);
    }
    const result = new Map<string, Value>();
    for (const p of [...byPath.keys()].sort(compareNames)) {
      const i = byPath.get(p)!;
      const m = new Map<string, Value>();
      if (i.allOutputs) m.set("allOutputs", true);
      if (i.outputs.length > 0) m.set("outputs", i.outputs.sort(compareNames));
      if (i.path) m.set("path", true);
      result.set(p, new Attrs(m));
    }
    return new Attrs(result);
  });

  r.def("appendContext", 2, ([sV, ctxV], pos) => {
    const s = expectString(sV, "while evaluating the first argument passed to builtins.appendContext", pos);
    const ctxAttrs = expectAttrs(ctxV, "while evaluating the second argument passed to builtins.appendContext", pos);
    const ctx = new Set(stringContext(s));
    for (const name of ctxAttrs.sortedNames()) {
      const apos = attrPos(ctxAttrs, name) ?? pos;
      if (!looksLikeStorePath(name, storeDir)) throw new EvalError(`context key '${name}' is not a store path`, "eval", apos);
      const spec = expectAttrs(ctxAttrs.get(name)!, "while evaluating the value of a string context", pos);
      const pathV = spec.get("path");
      if (pathV !== undefined && expectBool(pathV, "while evaluating the `path` attribute of a string context", pos)) {
        ctx.add(name);
      }
      const allV = spec.get("allOutputs");
      if (allV !== undefined && expectBool(allV, "while evaluating the `allOutputs` attribute of a string context", pos)) {
        if (!name.endsWith(".drv")) {
          throw new EvalError(
            `tried to add all-outputs context of ${name}, which is not a derivation, to a string`,
            "eval",
            apos,
          );
        }
        ctx.add("=" + name);
      }
      const outputsV = spec.get("outputs");
      if (outputsV !== undefined) {
        const outputs = expectList(outputsV, "while evaluating the `outputs` attribute of a string context", pos);
        if (outputs.length > 0 && !name.endsWith(".drv")) {
          throw new EvalError(
            `tried to add derivation output context of ${name}, which is not a derivation, to a string`,
            "eval",
            apos,
          );
        }
        for (const o of outputs) {
          const out = expectPlainString(o, "while evaluating an output name within a string context", pos);
          ctx.add(`!${out}!${name}`);
        }
      }
    }
    return mkString(stringBytes(s), ctx);
  });
}

/** `/nix/store/<32 nix32 chars>-<name>` (no deeper path). */
function looksLikeStorePath(path: string, storeDir: string): boolean {
  if (!path.startsWith(storeDir + "/")) return false;
  const base = path.slice(storeDir.length + 1);
  return /^[0-9abcdfghijklmnpqrsvwxyz]{32}-[a-zA-Z0-9+\-._?=]+$/.test(base);
}
