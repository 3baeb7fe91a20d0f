// Installables of `tix build`, `tix log` and `tix derivation show`: `-f FILE`/`--expr` with
// attribute paths, `.nix` files (like nix-build), store paths; evaluated into derivations.
import * as fs from "node:fs";
import * as path from "node:path";
import { EvalError } from "../eval/errors.js";
import { expectBool } from "../eval/expect.js";
import type { Evaluator } from "../eval/evaluator.js";
import { Attrs, NixString, Thunk, type Value } from "../eval/value.js";
import type { LocalStore } from "../store/local-store.js";
import { absolutePath, autoCall, findAlongAttrPath, type AutoArgs } from "./eval-setup.js";
import { argBytes } from "./output.js";
import { UsageError } from "./usage.js";
import { refuseUnsupportedSetting } from "./unsupported-settings.js";
import { applyFlakeSetting, emptyFlakeCliOptions, parseFlakeFlag, resolveFlakeDerivations, type FlakeCliOptions } from "./flake-setup.js";

/** Where the expression comes from, and which attributes of it are wanted. */
export interface InstallableSource {
  /** `-f FILE` (`-` for stdin). */
  file: string | null;
  /** `--expr EXPR`. */
  expr: string | null;
  /** Positional installables. */
  installables: string[];
  /** `-A` attribute paths (nix-build style: the file defaults to ./default.nix). */
  attrs: string[];
  /** Lock-file and fetcher flags for flake installables. */
  flake?: FlakeCliOptions;
}

/** One derivation to act on. */
export interface DerivationRef {
  readonly drvPath: string;
  /** The outputs wanted: the selected output, or null for all (a .drv given directly). */
  readonly outputs: readonly string[] | null;
  /** How the user named it (for messages). */
  readonly what: string;
}

/** A store path given directly that is not a derivation (nothing to build). */
export interface OpaqueRef {
  readonly path: string;
  readonly what: string;
}

export type Resolved = { kind: "drv"; ref: DerivationRef } | { kind: "opaque"; ref: OpaqueRef };

function force(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

function isDerivation(v: Value): v is Attrs {
  if (!(v instanceof Attrs)) return false;
  const t = v.get("type");
  if (t === undefined) return false;
  const tv = force(t);
  return tv === "derivation" || (tv instanceof NixString && tv.s === "derivation");
}

function stringOf(ev: Evaluator, v: Value): string {
  const s = ev.state.coerceToString(force(v), { copyToStore: false });
  return typeof s === "string" ? s : s.s;
}

/** Attributes whose names look like this are searched for derivations; others are skipped. */
const DERIVATION_ATTR_NAME = /^[A-Za-z_][A-Za-z0-9_+-]*$/;

/**
 * Nix's getDerivations: a derivation, or those in a set (an attribute's set only when it has
 * `recurseForDerivations = true`) or list (whose elements are auto-called like the top value).
 * A derivation reached twice (`rec { a = d; b = a; }`, `[ d d ]`) is listed once; `seen` holds
 * those found so far. Anything else in a list, or at the top, is an error.
 */
export function collectDerivations(
  ev: Evaluator,
  v: Value,
  autoArgs: AutoArgs,
  what: string,
  out: DerivationRef[],
  seen: Set<Attrs> = new Set(),
): void {
  const value = force(autoCall(ev, v, autoArgs));
  if (!lookInside(ev, value, what, out, seen)) return;
  if (value instanceof Attrs) {
    for (const name of value.sortedNames()) {
      if (!DERIVATION_ATTR_NAME.test(name)) continue;
      const child = force(value.get(name)!);
      const childWhat = what === "" ? name : `${what}.${name}`;
      if (!lookInside(ev, child, childWhat, out, seen) || !(child instanceof Attrs)) continue;
      const recurse = child.get("recurseForDerivations");
      if (recurse !== undefined && expectBool(recurse, null, null)) collectDerivations(ev, child, autoArgs, childWhat, out, seen);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const element = force(item);
      if (lookInside(ev, element, `${what}.${i}`, out, seen)) collectDerivations(ev, element, autoArgs, `${what}.${i}`, out, seen);
    });
    return;
  }
  throw new EvalError("expression does not evaluate to a derivation (or a set or list of those)");
}

/**
 * Nix's getDerivation: records `v` when it is a derivation not seen before and returns false;
 * returns true when `v` is not a derivation (the caller may look inside it).
 */
function lookInside(ev: Evaluator, v: Value, what: string, out: DerivationRef[], seen: Set<Attrs>): boolean {
  if (!isDerivation(v)) return true;
  if (seen.has(v)) return false;
  seen.add(v);
  if (v.get("name") === undefined) throw new EvalError("derivation name missing");
  const drvPathV = v.get("drvPath");
  if (drvPathV === undefined) throw new EvalError("derivation does not contain a 'drvPath' attribute");
  const drvPath = stringOf(ev, drvPathV);
  const outputNameV = v.get("outputName");
  if (outputNameV === undefined) throw new EvalError(`derivation '${drvPath}' lacks an 'outputName' attribute`);
  out.push({ drvPath, outputs: [stringOf(ev, outputNameV)], what });
  return false;
}

function looksLikeFlakeRef(s: string): boolean {
  return s.includes("#") || /^[a-z+]+:/.test(s) || s === ".";
}

/** Resolves the installables to derivations (evaluating as needed) and opaque store paths. */
export function resolveInstallables(ev: () => Evaluator, store: LocalStore, src: InstallableSource, autoArgs: () => AutoArgs): Resolved[] {
  const out: Resolved[] = [];
  let file = src.file;
  let attrPaths = [...src.attrs, ...src.installables];
  if (file === null && src.expr === null) {
    // Without -f/--expr: store paths, .nix files (nix-build style), or flake references.
    const rest: string[] = [];
    const flakeRefs: string[] = [];
    for (const i of src.installables) {
      const withOutputs = derivationWithOutputs(store, i);
      if (withOutputs !== null) {
        out.push({ kind: "drv", ref: withOutputs });
      } else if (isStorePathInstallable(store, i)) {
        const p = store.resolveStorePath(i);
        if (p.endsWith(".drv")) out.push({ kind: "drv", ref: { drvPath: p, outputs: null, what: i } });
        else {
          if (!store.isValid(p)) throw new UsageError(`path '${p}' is not valid`);
          out.push({ kind: "opaque", ref: { path: p, what: i } });
        }
      } else if ((i.endsWith(".nix") || i.startsWith("./") || i.startsWith("/") || i.startsWith("../")) && fs.existsSync(i)) {
        if (file !== null) throw new UsageError("only one file can be built at a time");
        file = i;
      } else if (looksLikeFlakeRef(i)) {
        flakeRefs.push(i);
      } else {
        rest.push(i);
      }
    }
    // Like `nix build`: other words are flake references too (`hello` is a registry name), and
    // no installable at all means the flake in the current directory.
    if (file === null && src.attrs.length === 0) {
      flakeRefs.push(...rest.splice(0));
      if (src.installables.length === 0) flakeRefs.push(".");
    }
    if (flakeRefs.length > 0) {
      const flakeOptions = { ...(src.flake ?? emptyFlakeCliOptions()), includes: (src as Partial<InstallableOptions>).includes ?? [] };
      for (const d of resolveFlakeDerivations(store, flakeOptions, flakeRefs)) {
        out.push({ kind: "drv", ref: { drvPath: d.drvPath, outputs: d.outputs, what: d.what } });
      }
    }
    attrPaths = [...src.attrs, ...rest];
    if (file === null) {
      if (attrPaths.length === 0) return out;
      file = "default.nix";
    }
  }
  const evaluator = ev();
  const args = autoArgs();
  const root = evaluateInstallableRoot(evaluator, src.expr, file!);
  for (const attrPath of attrPaths.length > 0 ? attrPaths : [""]) {
    const v = findAlongAttrPath(evaluator, root, argBytes(attrPath), args);
    const refs: DerivationRef[] = [];
    collectDerivations(evaluator, v, args, attrPath, refs);
    for (const r of refs) out.push({ kind: "drv", ref: r });
  }
  return out;
}

/** The value `-A`/attribute paths select from: `--expr EXPR`, else FILE (`-` for stdin). */
export function evaluateInstallableRoot(evaluator: Evaluator, expr: string | null, file: string): Value {
  const cwd = process.cwd();
  if (expr !== null) return evaluator.evalString(argBytes(expr), cwd);
  if (file === "-") return evaluator.evalString(fs.readFileSync(0).toString("latin1"), cwd, "stdin");
  return evaluator.evalFile(absolutePath(file));
}

/**
 * `/nix/store/…-x.drv^out,dev` or `…drv^*` (modern Nix's derived paths): that derivation and the
 * outputs named (all for `*`); null for anything else.
 */
function derivationWithOutputs(store: LocalStore, i: string): DerivationRef | null {
  const caret = i.lastIndexOf("^");
  if (caret < 0) return null;
  const drv = i.slice(0, caret);
  if (!drv.endsWith(".drv") || !isStorePathInstallable(store, drv)) return null;
  const spec = i.slice(caret + 1);
  const outputs = spec === "*" ? null : spec.split(",");
  if (outputs !== null && outputs.some((o) => o === "")) throw new UsageError(`'${i}' names an empty output; write '${drv}^out' or '${drv}^*'`);
  return { drvPath: store.resolveStorePath(drv), outputs, what: i };
}

/** A store path, or a symbolic link to one (`./result`), given as an installable. */
export function isStorePathInstallable(store: LocalStore, i: string): boolean {
  return i.startsWith(store.storeDir + "/") || isStoreLink(store, i);
}

function isStoreLink(store: LocalStore, p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink() && path.resolve(path.dirname(p), fs.readlinkSync(p)).startsWith(store.storeDir + "/");
  } catch {
    return false;
  }
}

/** Options shared by the commands that take installables. */
export interface InstallableOptions extends InstallableSource {
  args: [string, string, "expr" | "str"][];
  includes: string[];
  storeRoot: string | null;
  showTrace: boolean;
  /** `--option NAME VALUE` pairs, in order. */
  options: [string, string][];
}

export function emptyInstallableOptions(): InstallableOptions {
  return { file: null, expr: null, installables: [], attrs: [], args: [], includes: [], storeRoot: null, showTrace: false, options: [], flake: emptyFlakeCliOptions() };
}

/**
 * Handles flag `a` if it is one of the shared ones (`next` fetches its argument); returns false
 * otherwise.
 */
export function parseInstallableFlag(o: InstallableOptions, a: string, next: () => string): boolean {
  switch (a) {
    case "-f": case "--file": o.file = next(); return true;
    case "-E": case "--expr": o.expr = next(); return true;
    case "-A": case "--attr": o.attrs.push(next()); return true;
    case "--arg": { const n = next(); o.args.push([n, next(), "expr"]); return true; }
    case "--argstr": { const n = next(); o.args.push([n, next(), "str"]); return true; }
    case "-I": case "--include": o.includes.push(next()); return true;
    case "--store": o.storeRoot = next(); return true;
    case "--show-trace": o.showTrace = true; return true;
    case "--impure": if (o.flake) o.flake.impure = true; return true;
    case "--read-write-mode": return true;
    case "--option": {
      const n = next();
      const v = next();
      refuseUnsupportedSetting(n, v);
      if (!(o.flake && applyFlakeSetting(o.flake, n, v))) o.options.push([n, v]);
      return true;
    }
    default: return o.flake !== undefined && parseFlakeFlag(o.flake, a, next);
  }
}
