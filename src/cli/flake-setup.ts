// Shared set-up of the commands that use flakes (`tix flake …`, `tix eval`/`tix build` with flake
// installables): the lock-file and fetcher flags, the registries, the store and the evaluator.
import * as path from "node:path";
import type { FetchContext } from "../fetch/types.js";
import { defaultCacheDir, fetchTree, makeFetchBuiltins, makeFetchContext } from "../fetch/index.js";
import type { FetchTreeFn, FlakeEnv } from "../flake/flake-env.js";
import { readTrustedSettings, trustedFlakeSettings, trustedSettingsFile } from "../flake/flake-config.js";
import { parseFlakeRef, withDir, type FlakeRef } from "../flake/flake-ref.js";
import type { Flake } from "../flake/load-flake.js";
import { flakeBuiltins } from "../flake/get-flake-builtin.js";
import {
  installableDerivation,
  resolveInstallable,
  type InstallableDerivation,
  type InstallableKind,
} from "../flake/installable.js";
import { findInput, parseInputPath } from "../flake/lock-file.js";
import { defaultLockFlags, type LockFlags } from "../flake/lock.js";
import { loadRegistries } from "../flake/registries.js";
import { readRegistryFile } from "../flake/registries.js";
import { fsProbe } from "../flake/fs-probe.js";
import { evalCacheFileIn, FlakeSession } from "../flake/session.js";
import type { LocalStore } from "../store/local-store.js";
import { evalSystem, makeEvaluator } from "./eval-setup.js";
import { writeErr } from "./output.js";
import { refuseUnsupportedSetting } from "./unsupported-settings.js";
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
  /** `--reference-lock-file FILE`: the lock file to start from instead of the flake's own. */
  referenceLockFile: string | null;
  /** `--output-lock-file FILE`: where to write the lock file instead of the flake's flake.lock. */
  outputLockFile: string | null;
  /** `--inputs-from FLAKEREF`: that flake's locked inputs come before the registries. */
  inputsFrom: string[];
  /** `accept-flake-config`: apply every setting of a flake's `nixConfig`. */
  acceptFlakeConfig: boolean;
  /** Whether this command applies the flake's `nixConfig` (Nix 2.8: not metadata and show). */
  applyNixConfig: boolean;
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
    referenceLockFile: null,
    outputLockFile: null,
    inputsFrom: [],
    acceptFlakeConfig: acceptFlakeConfigFromEnv(),
    applyNixConfig: true,
  };
}

/** `accept-flake-config = true` in NIX_CONFIG (tix reads no nix.conf files). */
function acceptFlakeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  let accept = false;
  for (const line of (env["NIX_CONFIG"] ?? "").split("\n")) {
    const m = /^\s*accept-flake-config\s*=\s*(\S*)\s*$/.exec(line);
    if (m !== null) accept = m[1] === "true";
  }
  return accept;
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
    case "accept-flake-config": o.acceptFlakeConfig = parseBool(name, value); return true;
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
    case "--accept-flake-config": o.acceptFlakeConfig = true; return true;
    case "--no-accept-flake-config": o.acceptFlakeConfig = false; return true;
    case "--reference-lock-file": o.referenceLockFile = next(); return true;
    case "--output-lock-file": o.outputLockFile = next(); return true;
    case "--inputs-from": o.inputsFrom.push(next()); return true;
    case "--restrict-eval": refuseUnsupportedSetting("restrict-eval", "true"); return true;
    case "--option": {
      const n = next();
      const v = next();
      refuseUnsupportedSetting(n, v);
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
    ...(o.referenceLockFile !== null ? { referenceLockFile: path.resolve(cwd, o.referenceLockFile) } : {}),
    ...(o.outputLockFile !== null ? { outputLockFile: path.resolve(cwd, o.outputLockFile) } : {}),
    applyNixConfig: o.applyNixConfig,
  };
}

function warn(message: string): void {
  writeErr(Buffer.from(`warning: ${message}\n`, "utf8").toString("latin1"));
}

/** Applies the trusted settings of a flake's `nixConfig` to this run (see flake-config.ts). */
function applyNixConfig(o: FlakeCliOptions, fetchContext: FetchContext, flake: Flake): Partial<LockFlags> {
  if (flake.nixConfig.size === 0) return {};
  const settings = trustedFlakeSettings(flake.nixConfig, {
    acceptFlakeConfig: o.acceptFlakeConfig,
    trusted: readTrustedSettings(trustedSettingsFile()),
    warn,
  });
  for (const [name, value] of settings) {
    // Settings tix has no use for (substituters, bash-prompt, …) are accepted silently, as Nix
    // accepts settings it does not know.
    if (name === "commit-lockfile-summary") applyFlakeSetting(o, "commit-lock-file-summary", value);
    else applyFlakeSetting(o, name, value);
  }
  // The fetchers read their settings at fetch time; this context belongs to this run only.
  (fetchContext.settings as { allowDirty: boolean }).allowDirty = o.allowDirty;
  return o.commitLockFileSummary !== null ? { commitLockFileSummary: o.commitLockFileSummary } : {};
}

/** Registry entries `<input name> → <locked input>` for the inputs of the flake `text`. */
function inputsFromEntries(session: FlakeSession, text: string): { from: FlakeRef; to: FlakeRef; exact: boolean }[] {
  const ref = session.parseRef(text).ref;
  const locked = session.lock(ref, {
    ...session.lockFlags,
    writeLockFile: false,
    recreateLockFile: false,
    commitLockFile: false,
    inputOverrides: [],
    inputUpdates: [],
    referenceLockFile: undefined,
    outputLockFile: undefined,
    applyNixConfig: false,
  });
  const out: { from: FlakeRef; to: FlakeRef; exact: boolean }[] = [];
  for (const name of locked.lockFile.root.inputs.keys()) {
    // Follows are resolved; like Nix, the entry points at the input's tree, without its `dir`.
    const node = findInput(locked.lockFile, [name]);
    if (node === undefined || node.kind !== "locked") continue;
    out.push({ from: parseFlakeRef(`flake:${name}`), to: withDir(node.locked, undefined), exact: false });
  }
  return out;
}

/** Stands for the store in an object until withLazyStore replaces the field by a getter. */
const LAZY_STORE = null as unknown as LocalStore;

/** `obj` with a `store` property that opens the store when first read. */
function withLazyStore<T extends { readonly store: LocalStore }>(obj: T, store: () => LocalStore): T {
  return Object.defineProperty(obj, "store", { get: store, enumerable: true, configurable: true });
}

/**
 * Everything a flake command needs, around a store: an open one, or a function that opens it on
 * first use (a `flake show` answered from the evaluation cache never needs it).
 */
export function openFlakeSession(o: FlakeCliOptions, storeOrOpen: LocalStore | (() => LocalStore), fetchTreeFn: FetchTreeFn = fetchTree): FlakeSession {
  const cwd = process.cwd();
  const cacheDir = defaultCacheDir();
  let opened: LocalStore | undefined = typeof storeOrOpen === "function" ? undefined : storeOrOpen;
  const store = (): LocalStore => (opened ??= (storeOrOpen as () => LocalStore)());
  let warnings = 0;
  const countedWarn = (m: string): void => {
    warnings++;
    warn(m);
  };
  const fetchContext: FetchContext = withLazyStore(makeFetchContext(LAZY_STORE, {
    cacheDir,
    settings: { allowDirty: o.allowDirty, offline: o.offline, ...(o.refresh ? { tarballTtl: 0 } : {}) },
    warn: (m) => {
      if (!o.warnDirty && /^Git tree '.*' is dirty$/.test(m)) return;
      countedWarn(m);
    },
  }), store);
  let registries: ReturnType<typeof loadRegistries> | undefined;
  const env: FlakeEnv = withLazyStore({
    store: LAZY_STORE,
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
        // `--inputs-from`: lock those flakes (with the registries so far) and put their
        // inputs first, as flag entries.
        if (o.inputsFrom.length > 0) {
          const extra = o.inputsFrom.flatMap((text) => inputsFromEntries(session, text));
          registries = registries.map((r) => (r.type === "flag" ? { ...r, entries: [...r.entries, ...extra] } : r));
        }
      }
      return registries;
    },
    applyNixConfig: (flake) => applyNixConfig(o, fetchContext, flake),
    warn: countedWarn,
    cwd,
    style: "modern",
    fetched: new Map(),
  }, store);
  const session: FlakeSession = new FlakeSession({
    env,
    lockFlags: lockFlagsFrom(o, cwd),
    pure: !o.impure,
    evalCacheFile: o.evalCache ? evalCacheFileIn(cacheDir) : null,
    notice: (m) => writeErr(`${m}\n`),
    warningCount: () => warnings,
    system: evalSystem(o.system),
    makeEvaluator: () =>
      makeEvaluator({
        includes: o.includes,
        pure: !o.impure,
        store: store(),
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
