// One command's worth of flake work: the environment, a lazily created evaluator, the lock flags,
// locked flakes by reference, and evaluation-cache cursors over their outputs.

import * as fs from "node:fs";
import * as path from "node:path";
import type { Evaluator } from "../eval/evaluator.js";
import { Attrs, Thunk, type Value } from "../eval/value.js";
import { callFlake } from "./call-flake.js";
import { AttrCursor, EvalCacheDb } from "./eval-cache.js";
import type { FlakeEnv } from "./flake-env.js";
import {
  flakeFingerprint,
  flakeRefToString,
  gitRootFinder,
  isLocked,
  parseFlakeRefWithFragment,
  type FlakeRef,
  type ParsedFlakeRef,
  type PathProbe,
} from "./flake-ref.js";
import { lockFlake, type LockedFlake, type LockFlags } from "./lock.js";
import { serializeLockFile } from "./lock-file.js";

/** Bare-path checks against the real file system. */
export const fsProbe: PathProbe = {
  kind(p) {
    try {
      return fs.lstatSync(p).isDirectory() ? "directory" : "other";
    } catch {
      return undefined;
    }
  },
  device(p) {
    return fs.lstatSync(p).dev;
  },
};

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
}

export class FlakeSession {
  private evaluator: Evaluator | null = null;
  private readonly locked = new Map<string, LockedFlake>();
  private cacheDb: EvalCacheDb | null | undefined;

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

  /** Parses a command-line flake reference (bare paths relative to the current directory). */
  parseRef(text: string, allowMissing = false): ParsedFlakeRef {
    return parseFlakeRefWithFragment(text, {
      baseDir: this.env.cwd,
      probe: fsProbe,
      findGitRoot: gitRootFinder(fsProbe),
      allowMissing,
      onNotice: this.options.notice,
    });
  }

  /** Locks a flake (once per session and reference). */
  lock(ref: FlakeRef, flags: LockFlags = this.lockFlags): LockedFlake {
    const k = flakeRefToString(ref) + (flags === this.lockFlags ? "" : "\0custom");
    let l = this.locked.get(k);
    if (l === undefined) {
      l = lockFlake(this.env, this.ev(), ref, flags);
      this.locked.set(k, l);
    }
    return l;
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
      rootValue: () => {
        const v = this.flakeValue(locked);
        const outputs = (v as Attrs).get("outputs")!;
        return outputs instanceof Thunk ? outputs.force() : outputs;
      },
      isValidPath: (p) => this.env.store.isValid(p),
    });
  }

  close(): void {
    this.cacheDb?.close();
    this.cacheDb = null;
  }
}

/** `<cache dir>/eval-cache-v1.sqlite`. */
export function evalCacheFileIn(cacheDir: string): string {
  return path.join(cacheDir, "eval-cache-v1.sqlite");
}
