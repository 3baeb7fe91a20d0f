// `flake check`: validates the types of the known outputs (packages are derivations, apps are
// apps, overlays are functions, templates have a path, …) and collects the `checks` derivations.

import { EvalError } from "../eval/errors.js";
import { Attrs, Lambda, NixPath, NixString, PrimOp, PrimOpApp, Thunk, type Value } from "../eval/value.js";
import type { AttrCursor } from "./eval-cache.js";
import { FlakeError } from "./errors.js";
import { fromBytes } from "./load-flake.js";

export interface CheckOptions {
  readonly system: string;
  readonly allSystems: boolean;
  readonly warn: (message: string) => void;
}

export interface CheckResult {
  /** `.drv` paths of the `checks.<system>.*` derivations (to build). */
  readonly checkDrvs: string[];
  /** Systems skipped because they are not the local one. */
  readonly omittedSystems: string[];
}

const KNOWN_SYSTEM_RE = /^[a-z0-9_]+-[a-z0-9_]+$/;

function force(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

function isFunction(v: Value): boolean {
  const f = force(v);
  return f instanceof Lambda || f instanceof PrimOp || f instanceof PrimOpApp || (f instanceof Attrs && f.has("__functor"));
}

export function checkFlakeOutputs(root: AttrCursor, opts: CheckOptions): CheckResult {
  const checkDrvs: string[] = [];
  const omitted = new Set<string>();
  const show = (p: readonly string[]) => p.map(fromBytes).join(".");

  const checkDerivation = (c: AttrCursor): string => {
    if (!c.isDerivation()) throw new FlakeError(`flake attribute '${show(c.attrPath)}' is not a derivation`);
    const d = c.maybeGetAttr("drvPath")?.getString();
    if (d === undefined) throw new FlakeError(`flake attribute '${show(c.attrPath)}' is not a derivation`);
    return typeof d === "string" ? d : d.s;
  };
  const checkApp = (c: AttrCursor): void => {
    if (c.typeString() !== "app") throw new FlakeError(`app '${show(c.attrPath)}' is not an app definition (its 'type' is not "app")`);
    const prog = c.maybeGetAttr("program");
    if (prog === undefined || prog.getString() === undefined) throw new FlakeError(`app '${show(c.attrPath)}' lacks attribute 'program'`);
  };
  const checkOverlay = (c: AttrCursor): void => {
    const v = c.value();
    if (!isFunction(v)) throw new FlakeError(`overlay '${show(c.attrPath)}' is not a function`);
    const f = force(v);
    if (f instanceof Lambda && f.info.formals !== null) throw new FlakeError(`overlay '${show(c.attrPath)}' does not take an argument named 'final'`);
  };
  const checkModule = (c: AttrCursor): void => {
    const v = force(c.value());
    if (!(v instanceof Attrs) && !isFunction(v) && !(v instanceof NixPath) && typeof v !== "string" && !(v instanceof NixString)) {
      throw new FlakeError(`NixOS module '${show(c.attrPath)}' is not a function, an attribute set or a path`);
    }
  };
  const checkNixosConfiguration = (c: AttrCursor): void => {
    const top = c.findAlongAttrPath(["config", "system", "build", "toplevel"]);
    if (top === undefined || !top.isDerivation()) {
      throw new FlakeError(`attribute 'config.system.build.toplevel' of NixOS configuration '${show(c.attrPath)}' is not a derivation`);
    }
  };
  const checkTemplate = (c: AttrCursor): void => {
    const names = c.attrNames();
    if (names === undefined) throw new FlakeError(`template '${show(c.attrPath)}' is not an attribute set`);
    if (!names.includes("path")) throw new FlakeError(`template '${show(c.attrPath)}' lacks attribute 'path'`);
    if (!names.includes("description")) throw new FlakeError(`template '${show(c.attrPath)}' lacks attribute 'description'`);
    for (const n of names) {
      if (n !== "path" && n !== "description" && n !== "welcomeText") throw new FlakeError(`template '${show(c.attrPath)}' has unsupported attribute '${fromBytes(n)}'`);
    }
  };

  /** `<output>.<system>.<name>` sets: checks each system's members (local system only by default). */
  const perSystem = (c: AttrCursor, each: (member: AttrCursor, system: string) => void, nested = true): void => {
    for (const system of c.attrNames() ?? []) {
      if (!KNOWN_SYSTEM_RE.test(system)) opts.warn(`'${system}' is not a valid system type, at flake output '${show(c.attrPath)}'`);
      if (!opts.allSystems && system !== opts.system) {
        omitted.add(system);
        continue;
      }
      const s = c.maybeGetAttr(system)!;
      if (!nested) each(s, system);
      else for (const name of s.attrNames() ?? []) each(s.maybeGetAttr(name)!, system);
    }
  };
  const members = (c: AttrCursor, each: (m: AttrCursor) => void): void => {
    for (const name of c.attrNames() ?? []) each(c.maybeGetAttr(name)!);
  };

  const replacements: Record<string, string> = {
    defaultPackage: "packages.<system>.default",
    defaultApp: "apps.<system>.default",
    defaultTemplate: "templates.default",
    defaultBundler: "bundlers.<system>.default",
    overlay: "overlays.default",
    devShell: "devShells.<system>.default",
    nixosModule: "nixosModules.default",
  };
  for (const output of root.attrNames() ?? []) {
    const c = root.maybeGetAttr(output)!;
    const replacement = replacements[output];
    if (replacement !== undefined) opts.warn(`flake output attribute '${output}' is deprecated; use '${replacement}' instead`);
    try {
      switch (output) {
        case "checks": perSystem(c, (m, system) => { const d = checkDerivation(m); if (system === opts.system) checkDrvs.push(d); }); break;
        case "packages": case "devShells": perSystem(c, (m) => void checkDerivation(m)); break;
        case "apps": perSystem(c, checkApp); break;
        case "defaultPackage": case "devShell": case "formatter": perSystem(c, (m) => void checkDerivation(m), false); break;
        case "defaultApp": perSystem(c, checkApp, false); break;
        case "legacyPackages": perSystem(c, (m) => { if (m.attrNames() === undefined) throw new FlakeError(`'${show(m.attrPath)}' is not an attribute set`); }, false); break;
        case "overlay": checkOverlay(c); break;
        case "overlays": members(c, checkOverlay); break;
        case "nixosModule": checkModule(c); break;
        case "nixosModules": members(c, checkModule); break;
        case "nixosConfigurations": members(c, checkNixosConfiguration); break;
        case "hydraJobs": if (c.attrNames() === undefined) throw new FlakeError(`'hydraJobs' is not an attribute set`); break;
        case "defaultTemplate": checkTemplate(c); break;
        case "templates": members(c, checkTemplate); break;
        case "bundlers": perSystem(c, (m) => { if (!isFunction(m.value())) throw new FlakeError(`bundler '${show(m.attrPath)}' is not a function`); }); break;
        case "defaultBundler": perSystem(c, (m) => { if (!isFunction(m.value())) throw new FlakeError(`bundler '${show(m.attrPath)}' is not a function`); }, false); break;
        case "lib": case "darwinConfigurations": case "darwinModules": case "homeConfigurations": case "homeModules": break;
        default: opts.warn(`unknown flake output '${fromBytes(output)}'`);
      }
    } catch (e) {
      const where = `while checking flake output '${fromBytes(output)}'`;
      if (e instanceof EvalError) throw e.addTrace(where);
      if (e instanceof FlakeError) throw new FlakeError(`${e.message}\n(${where})`);
      throw e;
    }
  }
  return { checkDrvs, omittedSystems: [...omitted].sort() };
}
