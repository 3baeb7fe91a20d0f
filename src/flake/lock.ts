// Computing a flake's lock file: reuse old entries whose `original` still matches, fetch and lock
// the rest, apply `follows` and overrides; then write (atomically), commit, or refuse, as Nix does.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FetchedTree } from "../fetch/types.js";
import type { Evaluator } from "../eval/evaluator.js";
import { FlakeError, LockFileError } from "./errors.js";
import { fetchOrResolve, flakeDirOf, type FlakeEnv } from "./flake-env.js";
import {
  flakeRefEquals,
  flakeRefToString,
  isRelative,
  type FlakeRef,
  type PathFlakeRef,
} from "./flake-ref.js";
import { getFlake, readFlake, showFlake, type Flake, type FlakeInput, type FlakeInputs } from "./load-flake.js";
import {
  checkLockFile,
  diffLockFiles,
  findUnlockedInput,
  follows,
  lockFileCommitMessage,
  newLockedNode,
  newLockFile,
  parseLockFile,
  printInputPath,
  serializeLockFile,
  type InputPath,
  type LockFile,
  type LockNode,
  type LockedNode,
} from "./lock-file.js";

/** The command-line flags that steer locking. */
export interface LockFlags {
  /** `--recreate-lock-file`: ignore the old lock file. */
  readonly recreateLockFile: boolean;
  /** False with `--no-update-lock-file`: changes are an error. */
  readonly updateLockFile: boolean;
  /** False with `--no-write-lock-file`: compute but do not write. */
  readonly writeLockFile: boolean;
  /** Look indirect references up in the registries (`--no-registries` turns it off). */
  readonly useRegistries: boolean;
  /** `--commit-lock-file`. */
  readonly commitLockFile: boolean;
  /** `--override-input PATH REF`, in order. */
  readonly inputOverrides: readonly { path: InputPath; ref: FlakeRef }[];
  /** `--update-input PATH` and `flake update PATH…`. */
  readonly inputUpdates: readonly InputPath[];
  /** `commit-lock-file-summary`. */
  readonly commitLockFileSummary?: string;
  /** `--reference-lock-file FILE`: read this instead of the flake's flake.lock (it must exist). */
  readonly referenceLockFile?: string;
  /** `--output-lock-file FILE`: write the new lock file here; the flake's flake.lock is left alone. */
  readonly outputLockFile?: string;
  /** Apply the flake's `nixConfig` (through `env.applyNixConfig`) before locking its inputs. */
  readonly applyNixConfig?: boolean;
}

export function defaultLockFlags(): LockFlags {
  return {
    recreateLockFile: false,
    updateLockFile: true,
    writeLockFile: true,
    useRegistries: true,
    commitLockFile: false,
    inputOverrides: [],
    inputUpdates: [],
  };
}

/** Where a flake read during locking lives: its tree and the directory of its flake.nix. */
export interface FlakeSource {
  readonly tree: FetchedTree;
  readonly flakeDir: string;
}

export interface LockedFlake {
  readonly flake: Flake;
  readonly lockFile: LockFile;
  /** Sources fetched while locking, by printed input path ("" is the root). */
  readonly sources: ReadonlyMap<string, FlakeSource>;
  /** True when the lock file differs from the one on disk and was not written. */
  readonly forceDirty: boolean;
}

interface Override {
  readonly input: FlakeInput;
  /** The flake that declared the override (relative paths are relative to it). */
  readonly declaredIn: FlakeSource;
  /** Its input path (for the lock file's `parent`). */
  readonly declaredAt: InputPath;
  /** From `--override-input`: the lock keeps flake.nix's reference as `original`. */
  readonly cli: boolean;
}

const key = (p: InputPath): string => printInputPath(p);

/** Reads the flake.lock beside a fetched flake.nix (empty when there is none). */
export function readLockFileOf(env: FlakeEnv, flakeDir: string): { lock: LockFile; text: string | null } {
  const physical = env.store.toPhysical(path.posix.join(flakeDir, "flake.lock"));
  let text: string;
  try {
    text = fs.readFileSync(physical, "utf8");
  } catch {
    return { lock: newLockFile(), text: null };
  }
  return { lock: parseLockFile(text, { path: path.posix.join(flakeDir, "flake.lock"), style: env.style, allowDirtyLocks: true }), text };
}

/** The local directory a reference's files are in (git `file://` work trees and paths). */
export function sourcePathOf(ref: FlakeRef): string | undefined {
  if (ref.type === "path") return ref.path.startsWith("/") ? ref.path : undefined;
  if (ref.type === "git" && ref.url.startsWith("file:") && ref.rev === undefined) {
    const p = ref.url.replace(/^file:(\/\/)?/, "").replace(/[?#].*$/, "");
    return decodeURIComponent(p);
  }
  return undefined;
}

/** Reads the lock file given with `--reference-lock-file` (a missing file is an error). */
export function readReferenceLockFile(env: FlakeEnv, file: string): LockFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (e as Error).message;
    throw new LockFileError(`cannot read the reference lock file '${file}': ${why}\n(check the path given to '--reference-lock-file')`);
  }
  return parseLockFile(text, { path: file, style: env.style, allowDirtyLocks: true });
}

/** Computes the lock file of `topRef` and writes it when it changed (per `flags`). */
export function lockFlake(env: FlakeEnv, ev: Evaluator, topRef: FlakeRef, givenFlags: LockFlags): LockedFlake {
  let flags = givenFlags;
  if (flags.outputLockFile !== undefined && flags.commitLockFile) {
    throw new FlakeError(`'--commit-lock-file' and '--output-lock-file' are incompatible`);
  }
  let flake = getFlake(env, ev, topRef, flags.useRegistries);
  if (flags.applyNixConfig === true && env.applyNixConfig !== undefined) {
    flags = { ...flags, ...env.applyNixConfig(flake) };
  }
  try {
    const old = flags.referenceLockFile !== undefined
      ? { lock: readReferenceLockFile(env, flags.referenceLockFile) }
      : readLockFileOf(env, flake.flakeDir);
    const computed = computeLockFile(env, ev, flake, old.lock, flags);
    const newLock = computed.lockFile;
    const oldText = serializeLockFile(old.lock);
    const newText = serializeLockFile(newLock);
    let forceDirty = false;
    if (oldText !== newText || flags.outputLockFile !== undefined) {
      const diff = diffLockFiles(old.lock, newLock, { style: env.style }).replace(/\n$/, "");
      if (flags.writeLockFile) {
        // Only a flake named by its own location is written to: one reached through the registry
        // (`tix flake lock nixpkgs`) is not, as in Nix.
        const sourcePath = sourcePathOf(topRef);
        const hasTarget = flags.outputLockFile !== undefined || sourcePath !== undefined;
        const unlocked = hasTarget ? findUnlockedInput(newLock) : undefined;
        const notAllowed = (): FlakeError =>
          new FlakeError(`${showFlake(env, topRef)} requires lock file changes but they're not allowed due to '--no-update-lock-file'`);
        if (unlocked !== undefined) {
          env.warn(
            `will not write lock file of ${showFlake(env, topRef)} because it has an unlocked input ('${flakeRefToString(unlocked, { style: env.style })}')`,
          );
          forceDirty = true;
        } else if (flags.outputLockFile !== undefined) {
          // Like Nix: the new lock file goes to the given file, silently; flake.lock stays as it is.
          if (!flags.updateLockFile && oldText !== newText) throw notAllowed();
          const out = path.resolve(env.cwd, flags.outputLockFile);
          try {
            writeFileAtomic(out, newText);
          } catch (e) {
            throw new FlakeError(`cannot write the lock file '${out}' (given with '--output-lock-file'): ${(e as Error).message}`);
          }
        } else if (sourcePath !== undefined) {
          if (!flags.updateLockFile) throw notAllowed();
          const relPath = (topRef.dir !== undefined && topRef.dir !== "" ? topRef.dir + "/" : "") + "flake.lock";
          const lockPath = path.join(sourcePath, relPath);
          const exists = fs.existsSync(lockPath);
          if (exists) env.warn(diff === "" ? `updating lock file '${lockPath}'` : `updating lock file '${lockPath}':\n${diff}`);
          else env.warn(diff === "" ? `creating lock file '${lockPath}'` : `creating lock file '${lockPath}':\n${diff}`);
          writeFileAtomic(lockPath, newText);
          const isGit = topRef.type === "git";
          if (isGit) {
            const message = flags.commitLockFile
              ? lockFileCommitMessage(diff + "\n", { relPath, created: !exists, summary: flags.commitLockFileSummary })
              : undefined;
            markChangedFile(sourcePath, relPath, message);
          }
          // The work tree changed: read the flake again so its source includes the new lock file.
          const prev = flake;
          forgetFetched(env, flake.tree);
          flake = getFlake(env, ev, topRef, flags.useRegistries);
          const prevRev = "rev" in prev.lockedRef ? prev.lockedRef.rev : undefined;
          const newRev = "rev" in flake.lockedRef ? flake.lockedRef.rev : undefined;
          if (flags.commitLockFile && newRev !== undefined && newRev !== prevRev) env.warn(`committed new revision '${newRev}'`);
          if (flake.tree.narHash === prev.tree.narHash && flakeRefEquals(flake.lockedRef, prev.lockedRef) && isGit && newRev === undefined) {
            throw new FlakeError(
              `'${flakeRefToString(topRef, { style: env.style })}' did not change after I updated its 'flake.lock' file; is 'flake.lock' under version control?`,
            );
          }
          computed.sources.set("", { tree: flake.tree, flakeDir: flake.flakeDir });
        } else {
          env.warn(`cannot write modified lock file of ${showFlake(env, topRef)} (use '--no-write-lock-file' to ignore)`);
          forceDirty = true;
        }
      } else {
        env.warn(`not writing modified lock file of ${showFlake(env, topRef)}:\n${diff}`);
        forceDirty = true;
      }
    }
    return { flake, lockFile: newLock, sources: computed.sources, forceDirty };
  } catch (e) {
    if (e instanceof FlakeError && !e.message.includes("while updating the lock file")) {
      e.message += `\n(while updating the lock file of ${showFlake(env, flake.lockedRef)})`;
    }
    throw e;
  }
}

/** Drops a tree from the per-run fetch cache (its work tree changed). */
function forgetFetched(env: FlakeEnv, tree: FetchedTree): void {
  for (const [k, t] of env.fetched) if (t === tree) env.fetched.delete(k);
}

/** Writes `text` to `file` through a temporary file and a rename. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** `git add --intent-to-add` the lock file (so the next copy includes it), and commit it if asked. */
function markChangedFile(repo: string, relPath: string, commitMessage: string | undefined): void {
  const run = (args: string[], input?: string): void => {
    const r = spawnSync("git", ["-C", repo, ...args], { input, encoding: "utf8" });
    if (r.status !== 0) throw new FlakeError(`program 'git' failed with exit code ${r.status}: ${(r.stderr ?? "").trim()}`);
  };
  run(["add", "--intent-to-add", "--force", "--", relPath]);
  if (commitMessage !== undefined) run(["commit", relPath, "-F", "-"], commitMessage);
}

// ---------------------------------------------------------------------------------------------

interface Run {
  readonly env: FlakeEnv;
  readonly ev: Evaluator;
  readonly flags: LockFlags;
  readonly overrides: Map<string, Override>;
  readonly overridesUsed: Set<string>;
  readonly updatesUsed: Set<string>;
  readonly parents: FlakeRef[];
  readonly sources: Map<string, FlakeSource>;
}

/**
 * The new lock file of `flake` given the old one (ignored with `--recreate-lock-file`); also
 * prints Nix's warnings for `--override-input`/`--update-input` flags that matched nothing.
 */
export function computeLockFile(
  env: FlakeEnv,
  ev: Evaluator,
  flake: Flake,
  oldLock: LockFile,
  flags: LockFlags,
): { lockFile: LockFile; sources: Map<string, FlakeSource> } {
  const rootSource: FlakeSource = { tree: flake.tree, flakeDir: flake.flakeDir };
  const run: Run = {
    env,
    ev,
    flags,
    overrides: new Map(),
    overridesUsed: new Set(),
    updatesUsed: new Set(),
    parents: [],
    sources: new Map([["", rootSource]]),
  };
  for (const o of flags.inputOverrides) {
    run.overrides.set(key(o.path), { input: { ref: o.ref, isFlake: true, overrides: new Map() }, declaredIn: rootSource, declaredAt: [], cli: true });
  }
  const lockFile = newLockFile();
  computeLocks(run, flake.inputs, lockFile.root, [], flags.recreateLockFile ? undefined : oldLock.root, [], rootSource, false);

  for (const o of flags.inputOverrides) {
    if (!run.overridesUsed.has(key(o.path))) {
      env.warn(`the flag '--override-input ${key(o.path)} ${flakeRefToString(o.ref, { style: env.style })}' does not match any input`);
    }
  }
  for (const u of flags.inputUpdates) {
    if (!run.updatesUsed.has(key(u))) env.warn(`the flag '--update-input ${key(u)}' does not match any input`);
  }
  checkLockFile(lockFile);
  return { lockFile, sources: run.sources };
}

function startsWithPath(p: InputPath, prefix: InputPath): boolean {
  return p.length > prefix.length && prefix.every((x, i) => p[i] === x);
}

function computeLocks(
  run: Run,
  flakeInputs: FlakeInputs,
  node: LockNode,
  prefix: InputPath,
  oldNode: LockNode | undefined,
  lockRootPath: InputPath,
  source: FlakeSource,
  trustLock: boolean,
): void {
  const { env, ev, flags } = run;
  // Overrides declared by this flake (`inputs.a.inputs.b…`); those of ancestors win.
  const addOverrides = (input: FlakeInput, at: InputPath): void => {
    for (const [id, o] of input.overrides) {
      const p = [...at, id];
      if ((o.ref !== undefined || o.follows !== undefined) && !run.overrides.has(key(p))) {
        run.overrides.set(key(p), { input: o, declaredIn: source, declaredAt: prefix, cli: false });
      }
      addOverrides(o, p);
    }
  };
  for (const [id, input] of sortedEntries(flakeInputs)) addOverrides(input, [...prefix, id]);

  for (const [id, declared] of sortedEntries(flakeInputs)) {
    const inputPath = [...prefix, id];
    const where = key(inputPath);
    try {
      const override = run.overrides.get(where);
      if (override !== undefined) run.overridesUsed.add(where);
      const input: FlakeInput = override !== undefined ? { ...override.input, isFlake: declared.isFlake } : declared;
      const declaredIn = override?.declaredIn ?? source;
      const declaredAt = override?.declaredAt ?? prefix;

      if (input.follows !== undefined) {
        node.inputs.set(id, follows(input.follows));
        continue;
      }
      const ref = input.ref!;

      run.updatesUsed.add(where);
      let oldLock: LockedNode | undefined;
      if (oldNode !== undefined && !flags.inputUpdates.some((u) => key(u) === where)) {
        const e = oldNode.inputs.get(id);
        if (e !== undefined && e.kind === "locked") oldLock = e;
      }

      if (oldLock !== undefined && flakeRefEquals(oldLock.original, ref) && oldLock.isFlake === input.isFlake && override === undefined) {
        // Unchanged: keep the old entry, and look at its inputs only for overrides and updates.
        const child = newLockedNode(oldLock.locked, oldLock.original, oldLock.isFlake, oldLock.parent);
        node.inputs.set(id, child);
        let mustRefetch = flags.inputUpdates.some((u) => startsWithPath(u, inputPath));
        const fake = new Map<string, FlakeInput>();
        if (!mustRefetch) {
          for (const [name, edge] of oldLock.inputs) {
            if (edge.kind === "locked") {
              fake.set(name, { ref: edge.original, isFlake: edge.isFlake, overrides: new Map() });
            } else {
              if (!trustLock && !run.overrides.has(key([...inputPath, name]))) {
                mustRefetch = true;
                break;
              }
              fake.set(name, { follows: [...lockRootPath, ...edge.path], isFlake: true, overrides: new Map() });
            }
          }
        }
        if (mustRefetch) {
          if (!oldLock.isFlake) continue;
          const f = flakeOfLockedNode(run, oldLock, inputPath, declaredIn, id);
          computeLocks(run, f.inputs, child, inputPath, oldLock, lockRootPath, { tree: f.tree, flakeDir: f.flakeDir }, false);
        } else {
          computeLocks(run, fake, child, inputPath, oldLock, lockRootPath, source, true);
        }
        continue;
      }

      // A new entry: fetch the input. With --override-input, flake.nix's reference stays the
      // `original`, so the override sticks until the input is updated.
      const original = override !== undefined && override.cli && declared.ref !== undefined ? declared.ref : ref;
      const parent = isRelative(ref) ? [...declaredAt] : undefined;
      if (input.isFlake) {
        let inputFlake: Flake;
        if (isRelative(ref)) {
          const dir = relativeDir(declaredIn, ref as PathFlakeRef);
          inputFlake = readFlake(env, ev, { originalRef: ref, resolvedRef: ref, lockedRef: ref }, declaredIn.tree, dir, inputPath);
        } else {
          inputFlake = getFlake(env, ev, ref, flags.useRegistries, inputPath);
        }
        const child = newLockedNode(isRelative(ref) ? ref : inputFlake.lockedRef, original, true, parent);
        node.inputs.set(id, child);
        for (const p of run.parents) {
          if (flakeRefEquals(p, ref)) throw new FlakeError(`found circular import of flake '${flakeRefToString(p, { style: env.style })}'`);
        }
        run.parents.push(ref);
        try {
          const childSource = { tree: inputFlake.tree, flakeDir: inputFlake.flakeDir };
          run.sources.set(where, childSource);
          const childOld = oldLock ?? readLockFileOf(env, inputFlake.flakeDir).lock.root;
          computeLocks(run, inputFlake.inputs, child, inputPath, childOld, oldLock !== undefined ? lockRootPath : inputPath, childSource, false);
        } finally {
          run.parents.pop();
        }
      } else if (isRelative(ref)) {
        const dir = relativeDir(declaredIn, ref as PathFlakeRef);
        run.sources.set(where, { tree: declaredIn.tree, flakeDir: dir });
        node.inputs.set(id, newLockedNode(ref, original, false, parent));
      } else {
        const fetched = fetchOrResolve(env, ref, flags.useRegistries);
        run.sources.set(where, { tree: fetched.tree, flakeDir: flakeDirOf(fetched.tree, fetched.lockedRef.dir) });
        node.inputs.set(id, newLockedNode(fetched.lockedRef, original, false));
      }
    } catch (e) {
      if (e instanceof FlakeError && !e.message.includes("(while updating the flake input '")) {
        e.message += `\n(while updating the flake input '${where}')`;
      }
      throw e;
    }
  }
}

function sortedEntries(inputs: FlakeInputs): [string, FlakeInput][] {
  return [...inputs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The directory of a relative `path:` input, inside the tree of the flake that declared it. */
function relativeDir(declaredIn: FlakeSource, ref: PathFlakeRef): string {
  const dir = path.posix.normalize(path.posix.join(declaredIn.flakeDir, ref.path));
  const rel = path.posix.relative(declaredIn.tree.storePath, dir);
  if (rel.startsWith("..")) {
    throw new FlakeError(`path '${ref.path}' is outside the source tree '${declaredIn.tree.storePath}' of the flake that declares it`);
  }
  return dir;
}

/** Reads the flake behind an existing lock entry (for updates of its own inputs). */
function flakeOfLockedNode(run: Run, node: LockedNode, inputPath: InputPath, declaredIn: FlakeSource, id: string): Flake {
  void id;
  const { env, ev } = run;
  let f: Flake;
  if (isRelative(node.locked)) {
    const dir = relativeDir(declaredIn, node.locked as PathFlakeRef);
    f = readFlake(env, ev, { originalRef: node.original, resolvedRef: node.locked, lockedRef: node.locked }, declaredIn.tree, dir, inputPath);
  } else {
    f = getFlake(env, ev, node.locked, false, inputPath);
  }
  run.sources.set(key(inputPath), { tree: f.tree, flakeDir: f.flakeDir });
  return f;
}

export { LockFileError };
