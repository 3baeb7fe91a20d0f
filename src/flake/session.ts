// One command's worth of flake work: the environment, a lazily created evaluator, the lock flags,
// locked flakes by reference, and evaluation-cache cursors over their outputs.

import type * as fs from "node:fs";
import * as path from "node:path";
import type { Evaluator } from "../eval/evaluator.js";
import { Attrs, Thunk, type Value } from "../eval/value.js";
import { callFlake } from "./call-flake.js";
import { AttrCursor, EvalCacheDb } from "./eval-cache.js";
import type { FlakeEnv } from "./flake-env.js";
import {
  flakeFingerprint,
  flakeRefFromAttrs,
  flakeRefToAttrs,
  flakeRefToString,
  gitRootFinder,
  isLocked,
  parseFlakeRefWithFragment,
  type FlakeRef,
  type ParsedFlakeRef,
} from "./flake-ref.js";
import { lockFlake, type LockedFlake, type LockFlags } from "./lock.js";
import { serializeLockFile } from "./lock-file.js";
import { stampTree, TreeStamper, type TreeStamp } from "./source-stamp.js";
import { RecordingProbe, type ProbeAnswer } from "./fs-probe.js";

export interface FlakeSessionOptions {
  readonly env: FlakeEnv;
  readonly makeEvaluator: () => Evaluator;
  readonly lockFlags: LockFlags;
  /** Pure evaluation (the default); the evaluation cache is only used then. */
  readonly pure: boolean;
  /** Where the evaluation cache lives (null disables it). */
  readonly evalCacheFile: string | null;
  /** Prints notices such as "path '…' does not contain a 'flake.nix', searching up". */
  readonly notice?: (message: string) => void;
  /** The system type evaluations see (else the evaluator is asked, which creates it). */
  readonly system?: string;
  /** How many warnings `env.warn` has printed so far (a run that warned is not recorded). */
  readonly warningCount?: () => number;
}

/** A flake's outputs: where they come from, and a cursor over them. */
export interface FlakeOutputs {
  readonly lockedRef: FlakeRef;
  readonly cursor: AttrCursor;
}

/** What is recorded about a locked local flake, to be reused while its tree is unchanged. */
interface LockedSource {
  readonly lockedRef: ReturnType<typeof flakeRefToAttrs>;
  readonly fingerprint: string;
}

export class FlakeSession {
  private evaluator: Evaluator | null = null;
  private readonly locked = new Map<string, LockedFlake>();
  private cacheDb: EvalCacheDb | null | undefined;
  /** The stamp `outputs` took of a local flake before looking it up, for `lock` to reuse. */
  private earlierStamp: { readonly source: string; readonly stamp: TreeStamp | undefined } | undefined;
  /** What parsing command-line references asked of the file system (see fs-probe.ts). */
  private readonly probe = new RecordingProbe();
  /** The stamps of local flakes whose outputs `outputs` answered from a recorded locking. */
  private readonly recordedStamps = new Map<string, { readonly source: string; readonly digest: string }>();
  /** The stamps of local flakes whose locking `lock` recorded (see lockStamp). */
  private readonly lockStamps = new Map<string, { readonly source: string; readonly digest: string }>();

  constructor(readonly options: FlakeSessionOptions) {}

  get env(): FlakeEnv {
    return this.options.env;
  }

  get lockFlags(): LockFlags {
    return this.options.lockFlags;
  }

  ev(): Evaluator {
    this.evaluator ??= this.options.makeEvaluator();
    return this.evaluator;
  }

  /** The system type evaluations see (`--system`, TIX_SYSTEM or this platform's). */
  system(): string {
    return this.options.system ?? this.ev().state.settings.system;
  }

  /** Parses a command-line flake reference (bare paths relative to the current directory). */
  parseRef(text: string, allowMissing = false): ParsedFlakeRef {
    return parseFlakeRefWithFragment(text, {
      baseDir: this.env.cwd,
      probe: this.probe,
      findGitRoot: gitRootFinder(this.probe),
      allowMissing,
      onNotice: this.options.notice,
      onWarning: (m) => this.env.warn(m),
    });
  }

  /** What parsing references asked of the file system so far, with the answers. */
  probeAnswers(): readonly ProbeAnswer[] {
    return this.probe.answers;
  }

  /**
   * The directory and stamp of `ref` when `outputs(ref)` was answered from a recorded locking:
   * the outputs are then a function of that tree as long as its stamp stays the same.
   */
  recordedStamp(ref: FlakeRef): { readonly source: string; readonly digest: string } | undefined {
    return this.recordedStamps.get(lockedSourceKey(ref));
  }

  /**
   * The directory and stamp of `ref` when `lock(ref)` took a settled stamp before locking and
   * locked it without a warning to a lock file that is complete and on disk: the locked flake is
   * then a function of that tree as long as its stamp stays the same.
   */
  lockStamp(ref: FlakeRef): { readonly source: string; readonly digest: string } | undefined {
    return this.lockStamps.get(lockedSourceKey(ref));
  }

  /** Locks a flake (once per session and reference). */
  lock(ref: FlakeRef, flags: LockFlags = this.lockFlags): LockedFlake {
    const k = flakeRefToString(ref) + (flags === this.lockFlags ? "" : "\0custom");
    let l = this.locked.get(k);
    if (l === undefined) {
      const source = flags === this.lockFlags ? this.localSource(ref) : undefined;
      // A stamp taken earlier in this run (before anything read the files), or else one taken by
      // the walk that copies the tree, which reads each entry's metadata before its contents:
      // either way a change made while this run reads the files shows up as a newer change time
      // in the next run's stamp.
      let stamp = source === undefined ? undefined : this.takeEarlierStamp(source);
      let env = this.env;
      let stamper: TreeStamper | undefined;
      let observing = false;
      if (source !== undefined && stamp === undefined) {
        const s = (stamper = new TreeStamper());
        observing = true;
        const observeLocalTree = (root: string): ((p: string, st: fs.Stats) => void) | undefined => {
          if (!observing || root !== source) return undefined;
          observing = false; // the first copy of the tree only
          return (p, st) => s.add(p, st);
        };
        env = withProps(this.env, { fetchContext: withProps(this.env.fetchContext, { observeLocalTree }) });
      }
      const warningsBefore = this.options.warningCount?.() ?? 0;
      try {
        l = lockFlake(env, this.ev(), ref, flags);
      } finally {
        observing = false;
      }
      // Nothing observed (the tree was fetched before in this run, or not copied): no stamp.
      if (stamper !== undefined) stamp = stamper.finish();
      this.locked.set(k, l);
      // Not for a flake with `nixConfig`: commands that apply it must see it on every run.
      const recordable = source !== undefined && stamp?.settled === true && l.flake.nixConfig.size === 0;
      if (recordable && (this.options.warningCount?.() ?? 0) === warningsBefore) {
        const fingerprint = this.fingerprint(l);
        const db = fingerprint === undefined ? null : this.db();
        if (db !== null && fingerprint !== undefined && stamp !== undefined) {
          const record: LockedSource = { lockedRef: flakeRefToAttrs(l.flake.lockedRef), fingerprint };
          db.putLockedSource(lockedSourceKey(ref), stamp.digest, JSON.stringify(record));
          this.lockStamps.set(lockedSourceKey(ref), { source: source!, digest: stamp.digest });
        }
      }
    }
    return l;
  }

  /**
   * The directory of a `path:` flake whose locking can be recorded and reused while its tree is
   * unchanged: pure evaluation with the evaluation cache, and no flag that changes how it locks
   * (overrides, updates, another lock file). Undefined for anything else.
   */
  private localSource(ref: FlakeRef): string | undefined {
    if (!this.options.pure || this.options.evalCacheFile === null || ref.type !== "path" || !ref.path.startsWith("/")) return undefined;
    const f = this.lockFlags;
    if (f.recreateLockFile || f.inputOverrides.length > 0 || f.inputUpdates.length > 0) return undefined;
    if (f.referenceLockFile !== undefined || f.outputLockFile !== undefined || f.commitLockFile) return undefined;
    return ref.path;
  }

  /**
   * The outputs of a flake. A local flake whose tree is unchanged (by its stamp) since a run
   * recorded how it locked is neither fetched, nor locked, nor evaluated: the cursor answers from
   * the evaluation cache, and only an attribute missing there locks and evaluates the flake.
   */
  outputs(ref: FlakeRef): FlakeOutputs {
    const recorded = this.recordedSource(ref);
    if (recorded !== undefined) {
      const db = this.db();
      if (db !== null) {
        let locked: LockedFlake | undefined;
        const cursor = AttrCursor.root({
          cache: { db, fingerprint: recorded.fingerprint },
          rootValue: () => this.outputsValue((locked ??= this.lock(ref))),
          isValidPath: (p) => this.env.store.isValid(p),
        });
        return { lockedRef: flakeRefFromAttrs(recorded.lockedRef), cursor };
      }
    }
    const locked = this.lock(ref);
    return { lockedRef: locked.flake.lockedRef, cursor: this.outputsCursor(locked) };
  }

  /** The tree's stamp if one was taken earlier in this run (before anything read the files). */
  private takeEarlierStamp(source: string): TreeStamp | undefined {
    const earlier = this.earlierStamp;
    this.earlierStamp = undefined;
    return earlier !== undefined && earlier.source === source ? earlier.stamp : undefined;
  }

  private recordedSource(ref: FlakeRef): LockedSource | undefined {
    const source = this.localSource(ref);
    if (source === undefined) return undefined;
    const db = this.db();
    // Nothing recorded for this flake (a new cache): no stamp to compare with, and locking it
    // stamps the tree in the walk that copies it instead of a walk of its own.
    if (db === null || !db.hasLockedSource(lockedSourceKey(ref))) return undefined;
    const stamp = stampTree(source);
    // A miss locks next: that run records its locking under this same (earlier, so safe) stamp.
    this.earlierStamp = { source, stamp };
    if (stamp === undefined || !stamp.settled) return undefined;
    const text = db.getLockedSource(lockedSourceKey(ref), stamp.digest);
    if (text === undefined) return undefined;
    let recorded: LockedSource;
    try {
      recorded = JSON.parse(text) as LockedSource;
    } catch {
      return undefined;
    }
    this.recordedStamps.set(lockedSourceKey(ref), { source, digest: stamp.digest });
    return recorded;
  }

  /** The flake's value (`getFlake`). */
  flakeValue(locked: LockedFlake): Value {
    const v = callFlake(this.env, this.ev(), locked);
    return v instanceof Thunk ? v.force() : v;
  }

  /** The fingerprint keying the evaluation cache, or undefined when the flake cannot be cached. */
  fingerprint(locked: LockedFlake): string | undefined {
    if (!this.options.pure || locked.forceDirty) return undefined;
    const ref = locked.flake.lockedRef;
    if (!isLocked(ref) || ("dirtyRev" in ref && ref.dirtyRev !== undefined) || locked.flake.tree.dirtyRev !== undefined) return undefined;
    return flakeFingerprint(ref, serializeLockFile(locked.lockFile));
  }

  private db(): EvalCacheDb | null {
    if (this.cacheDb === undefined) {
      const file = this.options.evalCacheFile;
      try {
        this.cacheDb = file === null ? null : new EvalCacheDb(file);
      } catch (e) {
        this.env.warn(`cannot open the evaluation cache '${file}': ${(e as Error).message}`);
        this.cacheDb = null;
      }
    }
    return this.cacheDb;
  }

  /** A cursor over the flake's `outputs`, backed by the evaluation cache when possible. */
  outputsCursor(locked: LockedFlake): AttrCursor {
    const fp = this.fingerprint(locked);
    const db = fp === undefined ? null : this.db();
    return AttrCursor.root({
      cache: db !== null && fp !== undefined ? { db, fingerprint: fp } : null,
      rootValue: () => this.outputsValue(locked),
      isValidPath: (p) => this.env.store.isValid(p),
    });
  }

  private outputsValue(locked: LockedFlake): Value {
    const v = this.flakeValue(locked);
    const outputs = (v as Attrs).get("outputs")!;
    return outputs instanceof Thunk ? outputs.force() : outputs;
  }

  close(): void {
    this.cacheDb?.close();
    this.cacheDb = null;
  }
}

/** The key a local flake's locking is recorded under (the reference given, pinned or not). */
function lockedSourceKey(ref: FlakeRef): string {
  return flakeRefToString(ref);
}

/** `<cache dir>/eval-cache-v1.sqlite`. */
export function evalCacheFileIn(cacheDir: string): string {
  return path.join(cacheDir, "eval-cache-v1.sqlite");
}

/** A copy of `obj` with `extra`'s properties; getters (such as a lazily opened store) stay getters. */
function withProps<T extends object>(obj: T, extra: Partial<T>): T {
  const props = { ...Object.getOwnPropertyDescriptors(obj), ...Object.getOwnPropertyDescriptors(extra) };
  return Object.defineProperties(Object.create(Object.getPrototypeOf(obj) as object | null) as T, props);
}
