// `flake check`: validates the known outputs the way modern Nix does (packages are derivations,
// apps have a type and a program, overlays are `final: …` functions, templates have an existing
// path and a description, …) and collects the `checks` derivations to build. Each failure is a
// modern-style error whose trace names the output and the attribute being checked.

import { EvalError } from "../eval/errors.js";
import { expectAttrs, expectPlainString, expectString } from "../eval/expect.js";
import { attrPos } from "../eval/state.js";
import { Attrs, Lambda, NixPath, NixString, Thunk, showType, type Pos, type Value } from "../eval/value.js";
import type { AttrCursor } from "./eval-cache.js";
import { fromBytes } from "./load-flake.js";

export interface CheckOptions {
  readonly system: string;
  readonly allSystems: boolean;
  readonly warn: (message: string) => void;
  /** `--keep-going`: report each failure through `reportError` and go on with the next. */
  readonly keepGoing: boolean;
  readonly reportError: (e: EvalError) => void;
  /** `file:line:col` of a position (for "'foo' is not a valid system type, at …"). */
  readonly formatPos: (pos: Pos) => string;
  /** Whether a (logical) path exists, for templates' `path`. */
  readonly pathExists: (path: string) => boolean;
}

export interface CheckResult {
  /** `.drv` paths of the `checks.<system>.*` derivations (to build). */
  readonly checkDrvs: string[];
  /** Systems skipped because they are not the local one. */
  readonly omittedSystems: string[];
  /** Whether a failure was reported and skipped (only with keepGoing). */
  readonly hasErrors: boolean;
}

/** Outputs Nix knows are used by the community and leaves unchecked (no "unknown" warning). */
const UNCHECKED_OUTPUTS = new Set([
  "lib", "darwinConfigurations", "darwinModules", "flakeModule", "flakeModules", "herculesCI",
  "homeConfigurations", "homeModule", "homeModules", "nixopsConfigurations",
]);

const DEPRECATED_OUTPUTS: Record<string, string> = {
  defaultPackage: "packages.<system>.default",
  defaultApp: "apps.<system>.default",
  defaultTemplate: "templates.default",
  defaultBundler: "bundlers.<system>.default",
  overlay: "overlays.default",
  devShell: "devShells.<system>.default",
  nixosModule: "nixosModules.default",
};

function force(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

/** Each attribute of a set with its value and position, in Nix's (sorted) order. */
function members(set: Attrs): { name: string; shown: string; value: Value; pos: Pos | null }[] {
  return set.sortedNames().map((name) => ({ name, shown: fromBytes(name), value: set.get(name)!, pos: attrPos(set, name) }));
}

function isDerivation(v: Value): v is Attrs {
  const f = force(v);
  if (!(f instanceof Attrs)) return false;
  const t = f.get("type");
  if (t === undefined) return false;
  const s = force(t);
  return (typeof s === "string" ? s : s instanceof NixString ? s.s : null) === "derivation";
}

/** An overlay's argument may be called `final`, `_final` or `_` (unused). */
function argHasName(name: string | null | undefined, expected: string): boolean {
  return name === expected || name === "_" || name === `_${expected}`;
}

export function checkFlakeOutputs(root: AttrCursor, opts: CheckOptions): CheckResult {
  const checkDrvs: string[] = [];
  const omitted = new Set<string>();
  let hasErrors = false;
  const where = (pos: Pos | null): string => (pos === null ? "«unknown»" : opts.formatPos(pos));

  /** A failure: thrown, or with --keep-going reported and remembered. */
  const reportError = (e: unknown): void => {
    if (!(e instanceof EvalError) || !opts.keepGoing) throw e;
    opts.reportError(e);
    hasErrors = true;
  };
  /** Runs one check; a failure gets `context` (at `pos`) as its outermost trace so far. */
  const checking = (context: string, pos: Pos | null, f: () => void): void => {
    try {
      f();
    } catch (e) {
      if (e instanceof EvalError) e.addTrace(context, pos);
      reportError(e);
    }
  };

  const checkSystemName = (system: string, pos: Pos | null): void => {
    if (!system.includes("-")) reportError(new EvalError(`'${system}' is not a valid system type, at ${where(pos)}`));
  };
  /** Whether a system's outputs are checked (the local one, or all with --all-systems). */
  const systemSelected = (system: string): boolean => {
    if (opts.allSystems || system === opts.system) return true;
    omitted.add(system);
    return false;
  };
  /** `<output>.<system>` (each: the system's value) for every valid, selected system. */
  const perSystem = (v: Value, pos: Pos | null, each: (m: { shown: string; value: Value; pos: Pos | null }) => void): void => {
    for (const m of members(expectAttrs(v, null, pos))) {
      checkSystemName(m.shown, m.pos);
      if (systemSelected(m.shown)) each(m);
    }
  };
  /** `<output>.<system>.<name>` (each: the member and its attribute path). */
  const perSystemSet = (output: string, v: Value, pos: Pos | null, each: (path: string, value: Value, pos: Pos | null, system: string) => void): void => {
    perSystem(v, pos, (s) => {
      for (const m of members(expectAttrs(s.value, null, s.pos))) each(`${output}.${s.shown}.${m.shown}`, m.value, m.pos, s.shown);
    });
  };

  const checkDerivation = (attrPath: string, v: Value, pos: Pos | null): string | undefined => {
    let drvPath: string | undefined;
    checking(`while checking the derivation '${attrPath}'`, pos, () => {
      const drv = force(v);
      if (!isDerivation(drv)) throw new EvalError(`flake attribute '${attrPath}' is not a derivation`);
      const d = drv.get("drvPath");
      if (d === undefined) return;
      const s = expectString(d, null, attrPos(drv, "drvPath"));
      drvPath = typeof s === "string" ? s : s.s;
    });
    return drvPath;
  };
  const checkApp = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the app definition '${attrPath}'`, pos, () => {
      const app = expectAttrs(v, null, pos);
      const type = app.get("type");
      if (type === undefined) throw new EvalError(`app '${attrPath}' lacks attribute 'type'`);
      expectPlainString(type, null, attrPos(app, "type"));
      const program = app.get("program");
      if (program === undefined) throw new EvalError(`app '${attrPath}' lacks attribute 'program'`);
      expectString(program, null, attrPos(app, "program"));
      const meta = app.get("meta");
      if (meta === undefined) opts.warn(`app '${attrPath}' lacks attribute 'meta'`);
      else {
        const m = expectAttrs(meta, null, attrPos(app, "meta"));
        const description = m.get("description");
        if (description === undefined) opts.warn(`app '${attrPath}' lacks attribute 'meta.description'`);
        else expectPlainString(description, null, attrPos(m, "description"));
      }
      for (const name of app.sortedNames()) {
        const shown = fromBytes(name);
        if (shown !== "type" && shown !== "program" && shown !== "meta") throw new EvalError(`app '${attrPath}' has unsupported attribute '${shown}'`);
      }
    });
  };
  const checkOverlay = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the overlay '${attrPath}'`, pos, () => {
      const f = force(v);
      if (!(f instanceof Lambda)) throw new EvalError(`overlay is not a function, but ${showType(f)} instead`);
      if (f.info.formals !== null || !argHasName(f.info.argName, "final")) throw new EvalError("overlay does not take an argument named 'final'");
    });
  };
  const checkModule = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the NixOS module '${attrPath}'`, pos, () => void force(v));
  };
  const checkHydraJobs = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the Hydra jobset '${attrPath}'`, pos, () => {
      const set = expectAttrs(v, null, pos);
      if (isDerivation(set)) throw new EvalError("jobset should not be a derivation at top-level");
      for (const m of members(set)) {
        expectAttrs(m.value, null, m.pos);
        const path = `${attrPath}.${m.shown}`;
        if (isDerivation(m.value)) checkDerivation(path, m.value, m.pos);
        else checkHydraJobs(path, m.value, m.pos);
      }
    });
  };
  const checkNixosConfiguration = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the NixOS configuration '${attrPath}'`, pos, () => {
      const selection = "config.system.build.toplevel";
      let cur = v;
      for (const name of selection.split(".")) {
        const f = force(cur);
        if (!(f instanceof Attrs)) throw new EvalError(`the expression selected by the selection path '${selection}' should be a set but is ${showType(f)}`);
        const next = f.get(name);
        if (next === undefined) throw new EvalError(`attribute '${name}' in selection path '${selection}' not found`);
        cur = next;
      }
      if (!isDerivation(cur)) throw new EvalError(`attribute '${selection}' is not a derivation`);
    });
  };
  const checkTemplate = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the template '${attrPath}'`, pos, () => {
      const t = expectAttrs(v, null, pos);
      const pathV = t.get("path");
      if (pathV === undefined) throw new EvalError(`template '${attrPath}' lacks attribute 'path'`);
      const p = force(pathV);
      const pathPos = attrPos(t, "path");
      let path: string;
      if (p instanceof NixPath) path = fromBytes(p.path);
      else if ((typeof p === "string" || p instanceof NixString) && (typeof p === "string" ? p : p.s).startsWith("/")) path = fromBytes(typeof p === "string" ? p : p.s);
      else throw new EvalError(`cannot coerce ${showType(p)} to a path`, "eval", pathPos);
      if (!opts.pathExists(path)) throw new EvalError(`template '${attrPath}' refers to a non-existent path '${path}'`);
      const description = t.get("description");
      if (description === undefined) throw new EvalError(`template '${attrPath}' lacks attribute 'description'`);
      expectPlainString(description, null, attrPos(t, "description"));
      for (const name of t.sortedNames()) {
        const shown = fromBytes(name);
        if (shown !== "path" && shown !== "description" && shown !== "welcomeText") throw new EvalError(`template '${attrPath}' has unsupported attribute '${shown}'`);
      }
    });
  };
  const checkBundler = (attrPath: string, v: Value, pos: Pos | null): void => {
    checking(`while checking the bundler '${attrPath}'`, pos, () => {
      if (!(force(v) instanceof Lambda)) throw new EvalError("bundler must be a function");
    });
  };

  const outputs = expectAttrs(root.value(), null);
  for (const { shown: name, value, pos } of members(outputs)) {
    checking(`while checking flake output '${name}'`, pos, () => {
      force(value);
      const replacement = DEPRECATED_OUTPUTS[name];
      if (replacement !== undefined) opts.warn(`flake output attribute '${name}' is deprecated; use '${replacement}' instead`);
      switch (name) {
        case "checks":
          perSystemSet(name, value, pos, (path, v, p, system) => {
            const drvPath = checkDerivation(path, v, p);
            if (drvPath !== undefined && system === opts.system) checkDrvs.push(drvPath);
          });
          break;
        case "packages": case "devShells": perSystemSet(name, value, pos, (path, v, p) => void checkDerivation(path, v, p)); break;
        case "apps": perSystemSet(name, value, pos, checkApp); break;
        case "formatter": case "defaultPackage": case "devShell":
          perSystem(value, pos, (s) => void checkDerivation(`${name}.${s.shown}`, s.value, s.pos));
          break;
        case "defaultApp": perSystem(value, pos, (s) => checkApp(`${name}.${s.shown}`, s.value, s.pos)); break;
        case "legacyPackages": perSystem(value, pos, () => {}); break;
        case "overlay": checkOverlay(name, value, pos); break;
        case "overlays": for (const m of members(expectAttrs(value, null, pos))) checkOverlay(`${name}.${m.shown}`, m.value, m.pos); break;
        case "nixosModule": checkModule(name, value, pos); break;
        case "nixosModules": for (const m of members(expectAttrs(value, null, pos))) checkModule(`${name}.${m.shown}`, m.value, m.pos); break;
        case "nixosConfigurations":
          for (const m of members(expectAttrs(value, null, pos))) checkNixosConfiguration(`${name}.${m.shown}`, m.value, m.pos);
          break;
        case "hydraJobs": checkHydraJobs(name, value, pos); break;
        case "defaultTemplate": checkTemplate(name, value, pos); break;
        case "templates": for (const m of members(expectAttrs(value, null, pos))) checkTemplate(`${name}.${m.shown}`, m.value, m.pos); break;
        case "defaultBundler": perSystem(value, pos, (s) => checkBundler(`${name}.${s.shown}`, s.value, s.pos)); break;
        case "bundlers": perSystemSet(name, value, pos, checkBundler); break;
        default: if (!UNCHECKED_OUTPUTS.has(name)) opts.warn(`unknown flake output '${name}'`);
      }
    });
  }
  return { checkDrvs, omittedSystems: [...omitted].sort(), hasErrors };
}
