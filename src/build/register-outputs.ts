// After a successful build: check the outputs (present, fixed-output hash, reference constraints),
// normalise them, scan their references, and move them into the store and register them at once.

import * as fs from "node:fs";
import * as path from "node:path";
import {
  canonicaliseTree,
  createHasher,
  deleteTree,
  hashEquals,
  hashFileContents,
  hashToSri,
  isFixedOutputDerivation,
  makeFixedOutputPath,
  narFromFileSystem,
  parseOutputHash,
  renderContentAddress,
  RefScanner,
  dumpPath,
  type Derivation,
  type FixedOutputInfo,
  type Hash,
  type LocalStore,
  type NewPathInfo,
  type ValidPathInfo,
} from "../store/index.js";
import { BuildError } from "./errors.js";

export interface RegisterOptions {
  readonly store: LocalStore;
  readonly drvPath: string;
  readonly drv: Derivation;
  /** Output name → where the builder left it on disk (the sandbox's store, or the store itself). */
  readonly locations: ReadonlyMap<string, string>;
  /** The input closure (logical store paths): the candidates for references, besides the outputs. */
  readonly inputClosure: readonly string[];
  /** "check": compare with the existing valid outputs instead of registering. */
  readonly mode: "normal" | "check";
  /** In check mode, keep a differing output next to the valid one as `<path>.check`. */
  readonly keepFailed?: boolean;
}

interface Checked {
  readonly name: string;
  readonly path: string;
  readonly location: string;
  readonly references: string[];
  readonly narHash: Hash;
  readonly narSize: number;
  readonly ca: string | null;
}

/** Reference constraints of one output, from the plain attributes or `outputChecks` (structured). */
interface OutputChecks {
  allowedReferences?: string[];
  allowedRequisites?: string[];
  disallowedReferences?: string[];
  disallowedRequisites?: string[];
  maxSize?: number;
  maxClosureSize?: number;
  ignoreSelfRefs?: boolean;
}

function words(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(/[ \t\n\r]+/).filter((w) => w !== "");
}

function checksFor(drvPath: string, drv: Derivation, output: string): OutputChecks {
  const json = drv.env.get("__json");
  if (json === undefined) {
    // Without structured attributes, an output's reference to itself never counts for requisites.
    return {
      ignoreSelfRefs: true,
      allowedReferences: words(drv.env.get("allowedReferences")),
      allowedRequisites: words(drv.env.get("allowedRequisites")),
      disallowedReferences: words(drv.env.get("disallowedReferences")),
      disallowedRequisites: words(drv.env.get("disallowedRequisites")),
    };
  }
  let attrs: Record<string, unknown>;
  try {
    attrs = JSON.parse(Buffer.from(json, "latin1").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
  const all = attrs.outputChecks as Record<string, Record<string, unknown>> | undefined;
  const c = all?.[output];
  if (c === undefined || c === null || typeof c !== "object" || Array.isArray(c)) return {};
  // As in Nix: a single string counts as a list of one, null as an empty list.
  const list = (k: string): string[] | undefined => {
    const v = c[k];
    if (v === undefined) return undefined;
    const items = v === null ? [] : Array.isArray(v) ? v : typeof v === "object" ? Object.values(v as object) : [v];
    if (!items.every((x): x is string => typeof x === "string")) {
      throw new BuildError(`attribute '${k}' of derivation '${drvPath}' must be a list of strings`, 1);
    }
    return items;
  };
  const num = (k: string): number | undefined => {
    const v = c[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number") throw new BuildError(`attribute '${k}' of derivation '${drvPath}' must be a number`, 1);
    return v;
  };
  // Structured attributes have no way to ignore self-references (Nix reads no such key).
  return {
    allowedReferences: list("allowedReferences"),
    allowedRequisites: list("allowedRequisites"),
    disallowedReferences: list("disallowedReferences"),
    disallowedRequisites: list("disallowedRequisites"),
    maxSize: num("maxSize"),
    maxClosureSize: num("maxClosureSize"),
  };
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks, canonicalises and hashes the outputs, then (normal mode) moves them into the store and
 * registers them in one transaction with `drvPath` as deriver. The caller holds the outputs' locks.
 * On any error nothing is registered and the outputs' temporary locations are left for the caller
 * to delete.
 */
export function registerOutputs(opts: RegisterOptions): Map<string, ValidPathInfo> {
  const { store, drvPath, drv } = opts;
  const names = [...drv.outputs.keys()].sort();
  for (const name of names) {
    const loc = opts.locations.get(name)!;
    if (!exists(loc)) {
      throw new BuildError(`builder for '${drvPath}' failed to produce output path for output '${name}' at '${loc}'`, 1);
    }
  }
  for (const name of names) {
    const loc = opts.locations.get(name)!;
    try {
      canonicaliseTree(loc);
    } catch (e) {
      const m = /^file '(.*)' has an unsupported type$/.exec((e as Error).message);
      throw new BuildError(m !== null ? `file '${m[1]}' has an unsupported type` : (e as Error).message, 1);
    }
  }

  const outputPaths = names.map((n) => drv.outputs.get(n)!.path);
  const candidates = [...new Set([...opts.inputClosure, ...outputPaths])];
  const checked = new Map<string, Checked>();
  for (const name of names) {
    const out = drv.outputs.get(name)!;
    const loc = opts.locations.get(name)!;
    let ca: string | null = null;
    const fixed = isFixedOutputDerivation(drv) ? checkFixedOutput(drvPath, drv, loc) : null;
    const scanner = new RefScanner(candidates);
    const { narHash, narSize } = hashAndScan(loc, scanner);
    const references = scanner.found();
    if (fixed !== null) {
      if (fixed.mismatch !== null) {
        if (opts.mode === "normal" && references.length === 0) keepUnderActualHash(store, drvPath, out.path, loc, fixed.actual, narHash, narSize);
        throw fixed.mismatch;
      }
      ca = renderContentAddress(fixed.actual);
    }
    if (ca !== null && references.length > 0) {
      throw new BuildError(`illegal path references in fixed-output derivation '${drvPath}'`, 1);
    }
    checked.set(name, { name, path: out.path, location: loc, references, narHash, narSize, ca });
  }

  checkOutputCycles(drvPath, checked);
  for (const c of checked.values()) checkConstraints(store, drvPath, drv, c, checked);

  if (opts.mode === "check") {
    for (const c of checked.values()) {
      const old = store.queryPathInfo(c.path);
      if (old === null) continue;
      if (!hashEquals(old.narHash, c.narHash)) {
        const real = store.toPhysical(c.path);
        if (opts.keepFailed) {
          const kept = `${real}.check`;
          deleteTree(kept);
          fs.renameSync(c.location, kept);
          throw new BuildError(`derivation '${drvPath}' may not be deterministic: output '${real}' differs from '${kept}'`, 104);
        }
        throw new BuildError(`derivation '${drvPath}' may not be deterministic: output '${real}' differs`, 104);
      }
    }
    return new Map([...checked.values()].map((c) => [c.name, store.requirePathInfo(c.path)]));
  }

  // Move into place (outputs that became valid meanwhile are kept as they are), then register.
  const moved: string[] = [];
  const infos: NewPathInfo[] = [];
  try {
    for (const c of checked.values()) {
      if (store.isValid(c.path)) continue;
      const real = store.toPhysical(c.path);
      if (c.location !== real) {
        deleteTree(real);
        fs.renameSync(c.location, real);
      }
      moved.push(real);
      infos.push({
        path: c.path,
        narHash: c.narHash,
        narSize: c.narSize,
        references: c.references,
        deriver: drvPath,
        ca: c.ca,
        ultimate: true,
      });
    }
    store.registerValidPaths(infos);
  } catch (e) {
    for (const m of moved) deleteTree(m);
    throw e;
  }
  return new Map([...checked.values()].map((c) => [c.name, store.requirePathInfo(c.path)]));
}

function hashAndScan(loc: string, scanner: RefScanner): { narHash: Hash; narSize: number } {
  // One pass for both: the NAR stream feeds the scanner and the hash.
  const hasher = createHasher("sha256");
  const narSize = dumpPath(loc, (c) => {
    hasher.update(c);
    scanner.update(c);
  });
  return { narHash: hasher.digest(), narSize };
}

/** A fixed output's content address as built, and the error if it is not the one specified. */
interface FixedOutputCheck {
  readonly actual: FixedOutputInfo;
  readonly mismatch: BuildError | null;
}

/** Hashes a fixed output (which must be a plain file when hashed flat) and compares. */
function checkFixedOutput(drvPath: string, drv: Derivation, loc: string): FixedOutputCheck {
  const spec = parseOutputHash(drv.outputs.get("out")!);
  const st = fs.lstatSync(loc);
  let got: Hash;
  if (spec.method === "recursive") {
    got = narFromFileSystem(loc, { algo: spec.hash.algo }).narHash;
  } else {
    if (!st.isFile() || (st.mode & 0o100) !== 0) {
      throw new BuildError(
        `output path '${loc}' should be a non-executable regular file since recursive hashing is not enabled (outputHashMode=flat)`,
        1,
      );
    }
    got = hashFileContents(loc, spec.hash.algo);
  }
  const mismatch = hashEquals(got, spec.hash)
    ? null
    : new BuildError(
        `hash mismatch in fixed-output derivation '${drvPath}':\n  specified: ${hashToSri(spec.hash)}\n     got:    ${hashToSri(got)}`,
        102,
      );
  return { actual: { method: spec.method, hash: got }, mismatch };
}

/**
 * As Nix does, a fixed output whose hash differs from the one specified is still kept, as valid,
 * at the path its actual hash gives: once the expression has the right hash, nothing needs to be
 * fetched again. Best effort: when that path is busy or anything fails, the output is dropped.
 */
function keepUnderActualHash(
  store: LocalStore,
  drvPath: string,
  wantedPath: string,
  loc: string,
  actual: FixedOutputInfo,
  narHash: Hash,
  narSize: number,
): void {
  if (actual.method === "text") return;
  const actualPath = makeFixedOutputPath(path.basename(wantedPath).slice(33), actual.method, actual.hash, [], store.storeDir);
  if (store.isValid(actualPath)) return;
  const lock = store.lockPath(actualPath, false);
  if (lock === null) return;
  const real = store.toPhysical(actualPath);
  try {
    if (store.isValid(actualPath)) return;
    deleteTree(real);
    fs.renameSync(loc, real);
    store.registerValidPaths([
      { path: actualPath, narHash, narSize, references: [], deriver: drvPath, ca: renderContentAddress(actual), ultimate: true },
    ]);
  } catch {
    if (!store.isValid(actualPath)) deleteTree(real);
  } finally {
    lock.release();
  }
}

/** Outputs may refer to each other only without cycles (they are registered in dependency order). */
function checkOutputCycles(drvPath: string, checked: ReadonlyMap<string, Checked>): void {
  const byPath = new Map([...checked.values()].map((c) => [c.path, c.name]));
  const done = new Set<string>();
  const active = new Set<string>();
  const visit = (name: string, parent: string | null): void => {
    if (active.has(name)) {
      throw new BuildError(`cycle detected in build of '${drvPath}' in the references of output '${name}' from output '${parent}'`, 1);
    }
    if (done.has(name)) return;
    done.add(name);
    active.add(name);
    const refs = checked.get(name)!.references.map((r) => byPath.get(r)).filter((n): n is string => n !== undefined && n !== name);
    for (const r of [...new Set(refs)].sort()) visit(r, name);
    active.delete(name);
  };
  for (const name of [...checked.keys()].sort()) visit(name, null);
}

/** Resolves reference specifiers: store paths, or names of this derivation's outputs. */
function resolveSpec(store: LocalStore, drv: Derivation, spec: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const i of spec) {
    if (i.startsWith(store.storeDir + "/") && !i.slice(store.storeDir.length + 1).includes("/")) out.add(i);
    else if (drv.outputs.has(i)) out.add(drv.outputs.get(i)!.path);
    else throw new BuildError(`derivation contains an illegal reference specifier '${i}'`, 1);
  }
  return out;
}

/** The closure of an output: through the new outputs' scanned references, then the store. */
function requisites(store: LocalStore, start: Checked, checked: ReadonlyMap<string, Checked>): Set<string> {
  const byPath = new Map([...checked.values()].map((c) => [c.path, c]));
  const seen = new Set<string>();
  const todo = [start.path];
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const c = byPath.get(p);
    const refs = c !== undefined ? c.references : store.isValid(p) ? store.queryReferences(p) : [];
    for (const r of refs) if (!seen.has(r)) todo.push(r);
  }
  return seen;
}

function checkConstraints(store: LocalStore, drvPath: string, drv: Derivation, c: Checked, checked: ReadonlyMap<string, Checked>): void {
  const checks = checksFor(drvPath, drv, c.name);
  if (checks.maxSize !== undefined && c.narSize > checks.maxSize) {
    throw new BuildError(`path '${c.path}' is too large at ${c.narSize} bytes; limit is ${checks.maxSize} bytes`, 1);
  }
  let closure: Set<string> | null = null;
  const getClosure = (): Set<string> => (closure ??= requisites(store, c, checked));
  if (checks.maxClosureSize !== undefined) {
    let size = 0;
    for (const p of getClosure()) {
      const o = [...checked.values()].find((x) => x.path === p);
      size += o !== undefined ? o.narSize : (store.queryPathInfo(p)?.narSize ?? 0);
    }
    if (size > checks.maxClosureSize) {
      throw new BuildError(`closure of path '${c.path}' is too large at ${size} bytes; limit is ${checks.maxClosureSize} bytes`, 1);
    }
  }
  const check = (spec: string[] | undefined, useClosure: boolean, allowed: boolean): void => {
    if (spec === undefined) return;
    const set = resolveSpec(store, drv, spec);
    const used = useClosure ? new Set(getClosure()) : new Set(c.references);
    if (useClosure && checks.ignoreSelfRefs) used.delete(c.path);
    const bad = [...used].filter((p) => (allowed ? !set.has(p) : set.has(p))).sort();
    if (bad.length > 0) {
      throw new BuildError(`output '${c.path}' is not allowed to refer to the following paths:${bad.map((b) => `\n  ${b}`).join("")}`, 1);
    }
  };
  check(checks.allowedReferences, false, true);
  check(checks.allowedRequisites, true, true);
  check(checks.disallowedReferences, false, false);
  check(checks.disallowedRequisites, true, false);
}
