// Shared set-up of the commands that use flakes (`tix flake …`, `tix eval`/`tix build` with flake
// installables): the lock-file and fetcher flags, the registries, the store and the evaluator.
import type { FetchContext } from "../fetch/types.js";
import { defaultCacheDir, fetchTree, makeFetchBuiltins, makeFetchContext } from "../fetch/index.js";
import type { FetchTreeFn, FlakeEnv } from "../flake/flake-env.js";
import { parseFlakeRef } from "../flake/flake-ref.js";
import { flakeBuiltins } from "../flake/get-flake-builtin.js";
import {
  installableDerivation,
  resolveInstallable,
  type InstallableDerivation,
  type InstallableKind,
} from "../flake/installable.js";
import { parseInputPath } from "../flake/lock-file.js";
import { defaultLockFlags, type LockFlags } from "../flake/lock.js";
import { loadRegistries } from "../flake/registries.js";
import { readRegistryFile } from "../flake/registries.js";
import { evalCacheFileIn, FlakeSession, fsProbe } from "../flake/session.js";
import type { LocalStore } from "../store/local-store.js";
import { makeEvaluator } from "./eval-setup.js";
import { writeErr } from "./output.js";
import { UsageError } from "./usage.js";

/** The flags every flake-using command accepts. */
export interface FlakeCliOptions {
  recreateLockFile: boolean;
  updateLockFile: boolean;
  writeLockFile: boolean;
  commitLockFile: boolean;
  useRegistries: boolean;
  overrideInputs: [string, string][];
  updateInputs: string[];
  overrideFlakes: [string, string][];
  impure: boolean;
  allowDirty: boolean;
  warnDirty: boolean;
  evalCache: boolean;
  refresh: boolean;
  offline: boolean;
  system: string | null;
  flakeRegistry: string | null;
  commitLockFileSummary: string | null;
  storeRoot: string | null;
  includes: string[];
  showTrace: boolean;
  /** `--option NAME VALUE` pairs not handled here (for the build settings). */
  options: [string, string][];
}

export function emptyFlakeCliOptions(): FlakeCliOptions {
  return {
    recreateLockFile: false,
    updateLockFile: true,
    writeLockFile: true,
    commitLockFile: false,
    useRegistries: true,
    overrideInputs: [],
    updateInputs: [],
    overrideFlakes: [],
    impure: false,
    allowDirty: true,
    warnDirty: true,
    evalCache: true,
    refresh: false,
    offline: false,
    system: null,
    flakeRegistry: null,
    commitLockFileSummary: null,
    storeRoot: null,
    includes: [],
    showTrace: false,
    options: [],
  };
}

function parseBool(name: string, v: string): boolean {
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  throw new UsageError(`option '${name}' has invalid value '${v}'`);
}

/** Applies a setting by name (`--option NAME VALUE`, `--NAME VALUE`); false if unknown. */
export function applyFlakeSetting(o: FlakeCliOptions, name: string, value: string): boolean {
  switch (name) {
    case "allow-dirty": o.allowDirty = parseBool(name, value); return true;
    case "warn-dirty": o.warnDirty = parseBool(name, value); return true;
    case "eval-cache": o.evalCache = parseBool(name, value); return true;
    case "pure-eval": o.impure = !parseBool(name, value); return true;
    case "flake-registry": o.flakeRegistry = value; return true;
    case "commit-lock-file-summary": o.commitLockFileSummary = value; return true;
    case "system": o.system = value; return true;
    case "use-registries": o.useRegistries = parseBool(name, value); return true;
    case "accept-flake-config": return true;
    default: return false;
  }
}

/** Handles flag `a` if it is a flake flag (`next` fetches an argument); false otherwise. */
export function parseFlakeFlag(o: FlakeCliOptions, a: string, next: () => string): boolean {
  switch (a) {
    case "--recreate-lock-file": o.recreateLockFile = true; return true;
    case "--no-update-lock-file": o.updateLockFile = false; return true;
    case "--no-write-lock-file": o.writeLockFile = false; return true;
    case "--commit-lock-file": o.commitLockFile = true; return true;
    case "--no-registries": o.useRegistries = false; return true;
    case "--update-input": o.updateInputs.push(next()); return true;
    case "--override-input": {
      // As in Nix: an override is for this run only, so the lock file is not written
      // (`flake lock` and `flake update` write it anyway).
      const p = next();
      o.overrideInputs.push([p, next()]);
      o.writeLockFile = false;
      return true;
    }
    case "--override-flake": { const f = next(); o.overrideFlakes.push([f, next()]); return true; }
    case "--impure": o.impure = true; return true;
    case "--pure-eval": o.impure = false; return true;
    case "--no-allow-dirty": o.allowDirty = false; return true;
    case "--allow-dirty": o.allowDirty = true; return true;
    case "--no-warn-dirty": o.warnDirty = false; return true;
    case "--no-eval-cache": o.evalCache = false; return true;
    case "--eval-cache": o.evalCache = true; return true;
    case "--refresh": o.refresh = true; return true;
    case "--offline": o.offline = true; return true;
    case "--system": o.system = next(); return true;
    case "--flake-registry": o.flakeRegistry = next(); return true;
    case "--commit-lock-file-summary": o.commitLockFileSummary = next(); return true;
    case "--store": o.storeRoot = next(); return true;
    case "-I": case "--include": o.includes.push(next()); return true;
    case "--show-trace": o.showTrace = true; return true;
    case "--option": {
      const n = next();
      const v = next();
      if (!applyFlakeSetting(o, n, v)) o.options.push([n, v]);
      return true;
    }
    default: return false;
  }
}

/** Lock flags from the command line (`--override-input` references relative to `cwd`). */
export function lockFlagsFrom(o: FlakeCliOptions, cwd: string): LockFlags {
  return {
    ...defaultLockFlags(),
    recreateLockFile: o.recreateLockFile,
    updateLockFile: o.updateLockFile,
    writeLockFile: o.writeLockFile,
    commitLockFile: o.commitLockFile,
    useRegistries: o.useRegistries,
    inputOverrides: o.overrideInputs.map(([p, r]) => ({
      path: parseInputPath(p),
      ref: parseFlakeRef(r, { baseDir: cwd, probe: fsProbe, allowMissing: true }),
    })),
    inputUpdates: o.updateInputs.map((p) => parseInputPath(p)),
    ...(o.commitLockFileSummary !== null ? { commitLockFileSummary: o.commitLockFileSummary } : {}),
  };
}

function warn(message: string): void {
  writeErr(Buffer.from(`warning: ${message}\n`, "utf8").toString("latin1"));
}

/** Everything a flake command needs, around an open store. */
export function openFlakeSession(o: FlakeCliOptions, store: LocalStore, fetchTreeFn: FetchTreeFn = fetchTree): FlakeSession {
  const cwd = process.cwd();
  const cacheDir = defaultCacheDir();
  const fetchContext: FetchContext = makeFetchContext(store, {
    cacheDir,
    settings: { allowDirty: o.allowDirty, offline: o.offline, ...(o.refresh ? { tarballTtl: 0 } : {}) },
    warn: (m) => {
      if (!o.warnDirty && /^Git tree '.*' is dirty$/.test(m)) return;
      warn(m);
    },
  });
  let registries: ReturnType<typeof loadRegistries> | undefined;
  const env: FlakeEnv = {
    store,
    fetchContext,
    fetchTree: fetchTreeFn,
    registries: () => {
      if (registries === undefined) {
        const flags = o.overrideFlakes.map(([f, t]) => ({
          from: parseFlakeRef(f),
          to: parseFlakeRef(t, { baseDir: cwd, probe: fsProbe }),
        }));
        registries = loadRegistries(flags);
        if (o.flakeRegistry !== null) {
          registries = registries.map((r) => (r.type === "global" ? readRegistryFile(o.flakeRegistry!, "global") : r));
        }
      }
      return registries;
    },
    warn,
    cwd,
    style: "modern",
    fetched: new Map(),
  };
  const session: FlakeSession = new FlakeSession({
    env,
    lockFlags: lockFlagsFrom(o, cwd),
    pure: !o.impure,
    evalCacheFile: o.evalCache ? evalCacheFileIn(cacheDir) : null,
    notice: (m) => writeErr(`${m}\n`),
    makeEvaluator: () =>
      makeEvaluator({
        includes: o.includes,
        pure: !o.impure,
        store,
        extraBuiltins: [makeFetchBuiltins(() => fetchContext), flakeBuiltins(() => session)],
        ...(o.system !== null ? { system: o.system } : {}),
      }),
  });
  return session;
}


/**
 * The derivations flake installables (`.#hello`, `nixpkgs#hello^out`) denote, for `tix build`
 * and other commands that act on derivations; cached drvPaths are used when valid.
 */
export function resolveFlakeDerivations(
  store: LocalStore,
  o: FlakeCliOptions,
  texts: readonly string[],
  kind: InstallableKind = "build",
): InstallableDerivation[] {
  const session = openFlakeSession(o, store);
  try {
    return texts.map((t) => installableDerivation(resolveInstallable(session, t, { kind })));
  } finally {
    session.close();
  }
}
