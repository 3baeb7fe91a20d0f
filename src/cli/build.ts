// `tix build`: evaluates installables (`-f FILE`, `--expr`, attribute paths, store derivations),
// realises them with the build scheduler, and makes `result` links (like `nix build`/`nix-build`).
import {
  BuildError,
  PlainReporter,
  Scheduler,
  TerminalReporter,
  applyBuildOption,
  defaultBuildSettings,
  formatErrorMessage,
  type BuildOutcome,
  type BuildReporter,
  type BuildRequest,
  type BuildSettings,
} from "../build/index.js";
import { Thunk } from "../eval/value.js";
import { addPermRoot } from "../store/gc.js";
import { makeEvaluator, type AutoArgs } from "./eval-setup.js";
import { emptyInstallableOptions, parseInstallableFlag, resolveInstallables, type InstallableOptions, type Resolved } from "./installables.js";
import type { LocalStore } from "../store/local-store.js";
import { NIX_STYLE, walkArgs } from "./args.js";
import { argBytes, writeErr, writeOut } from "./output.js";
import { openLocalStoreFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

interface BuildOptions extends InstallableOptions {
  outLink: string;
  noLink: boolean;
  json: boolean;
  printOutPaths: boolean;
  dryRun: boolean;
  rebuild: boolean;
  keepFailed: boolean;
  keepGoing: boolean;
  printBuildLogs: boolean;
  maxJobs: string | null;
  cores: string | null;
}

const HELP = `Usage: tix build [OPTIONS] [INSTALLABLES...]

Builds derivations. Installables are attribute paths of -f FILE or --expr EXPR (or of
./default.nix with -A), .nix files, or store derivations.

Options:
  -f, --file FILE        evaluate FILE (- for stdin)
  --expr EXPR            evaluate EXPR
  -A, --attr PATH        attribute path to build (like nix-build)
  --arg NAME EXPR, --argstr NAME STRING
  -o, --out-link PATH    name of the result link (default: result)
  --no-link              do not create result links
  --json                 print the results as JSON
  --print-out-paths      print the output paths
  --dry-run              show what would be built
  --rebuild, --check     build again and compare with the existing outputs
  -j, --max-jobs N       builds to run at once (default: number of cores)
  --cores N              NIX_BUILD_CORES for builders (0 = all)
  -k, --keep-going       keep building what does not depend on a failure
  -K, --keep-failed      keep the build directory of failed builds
  -L, --print-build-logs print build output
  --option NAME VALUE    e.g. sandbox false; also as flags: --log-lines N, --no-sandbox, …
  --store DIR            use the chroot store rooted at DIR
  .drv paths take ^OUT,OUT… (^* for all outputs)
`;

function parseBuildArgs(argv: string[]): BuildOptions | null {
  const o: BuildOptions = {
    ...emptyInstallableOptions(),
    outLink: "result",
    noLink: false,
    json: false,
    printOutPaths: false,
    dryRun: false,
    rebuild: false,
    keepFailed: false,
    keepGoing: false,
    printBuildLogs: false,
    maxJobs: null,
    cores: null,
  };
  let help = false;
  walkArgs(argv, NIX_STYLE, (a, { value: next, rest }) => {
    if (parseInstallableFlag(o, a, next)) return;
    if (parseBuildSettingFlag(o, a, next)) return;
    switch (a) {
      case "--help": help = true; rest(); break; // help, whatever follows
      case "-o": case "--out-link": o.outLink = next(); break;
      case "--no-link": case "--no-out-link": o.noLink = true; break;
      case "--json": o.json = true; break;
      case "--print-out-paths": o.printOutPaths = true; break;
      case "--dry-run": o.dryRun = true; break;
      case "--rebuild": case "--check": o.rebuild = true; break;
      case "-K": case "--keep-failed": o.keepFailed = true; break;
      case "-k": case "--keep-going": o.keepGoing = true; break;
      case "-L": case "--print-build-logs": o.printBuildLogs = true; break;
      case "-j": case "--max-jobs": o.maxJobs = next(); break;
      case "--cores": o.cores = next(); break;
      case "-Q": case "--no-build-output": case "--quiet": case "-v": case "--verbose": break;
      default:
        if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}'`);
        o.installables.push(a);
    }
  });
  return help ? null : o;
}

/** Nix's build settings that are also flags of their own: `--NAME VALUE`, or `--NAME`/`--no-NAME`. */
const VALUED_SETTINGS = new Set(["log-lines", "sandbox-paths", "extra-sandbox-paths", "system", "extra-platforms", "system-features"]);
const BOOLEAN_SETTINGS = new Set(["sandbox", "keep-failed", "keep-going", "print-build-logs"]);

/** `--log-lines 5`, `--no-sandbox`, … as `--option NAME VALUE`; false for other arguments. */
export function parseBuildSettingFlag(o: Pick<InstallableOptions, "options">, a: string, next: () => string): boolean {
  if (!a.startsWith("--")) return false;
  const name = a.slice(2);
  if (VALUED_SETTINGS.has(name)) o.options.push([name, next()]);
  else if (BOOLEAN_SETTINGS.has(name)) o.options.push([name, "true"]);
  else if (name.startsWith("no-") && BOOLEAN_SETTINGS.has(name.slice(3))) o.options.push([name.slice(3), "false"]);
  else return false;
  return true;
}

/** Build settings from the defaults, `--option`s and the dedicated flags. */
export function buildSettingsFrom(o: Pick<InstallableOptions, "options"> & Partial<BuildOptions>): BuildSettings {
  const s = defaultBuildSettings();
  for (const [name, value] of o.options) applyBuildOption(s, name, value);
  if (o.maxJobs != null) applyBuildOption(s, "max-jobs", o.maxJobs);
  if (o.cores != null) applyBuildOption(s, "cores", o.cores);
  if (o.keepFailed) s.keepFailed = true;
  if (o.keepGoing) s.keepGoing = true;
  if (o.printBuildLogs) s.printBuildLogs = true;
  return s;
}

/** `--arg`/`--argstr` values for an evaluator. */
export function autoArgsFor(ev: ReturnType<typeof makeEvaluator>, args: InstallableOptions["args"]): AutoArgs {
  const autoArgs: AutoArgs = new Map();
  const cwd = process.cwd();
  for (const [name, text, kind] of args) {
    autoArgs.set(name, kind === "str" ? argBytes(text) : new Thunk(() => ev.evalString(argBytes(text), cwd), []));
  }
  return autoArgs;
}

/** A build's outputs as [name, path], by name. */
function sortedOutputs(r: BuildOutcome): [string, string][] {
  return [...r.outputs].sort(([a], [b]) => (a < b ? -1 : 1));
}

function outcomeJson(r: BuildOutcome): { drvPath: string; outputs: Record<string, string> } {
  return { drvPath: r.drvPath, outputs: Object.fromEntries(sortedOutputs(r)) };
}

function outputsJson(outcomes: readonly BuildOutcome[]): string {
  return JSON.stringify(outcomes.map(outcomeJson));
}

/** Build progress on stderr: a status line on a terminal, plain lines otherwise. */
export function stderrReporter(settings: BuildSettings): BuildReporter {
  return process.stderr.isTTY
    ? new TerminalReporter(settings.printBuildLogs, writeErr, () => process.stderr.columns || 80)
    : new PlainReporter(settings.printBuildLogs, writeErr);
}

/** Builds the requests; Ctrl-C or SIGTERM meanwhile stops the builds cleanly. */
export async function buildInterruptibly(scheduler: Scheduler, requests: readonly BuildRequest[]): Promise<BuildOutcome[]> {
  const onSignal = (): void => scheduler.interrupt();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await scheduler.build(requests);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * The installables of a command line, resolved; an evaluator is made only when one of them needs
 * evaluating (store paths and .drv files don't).
 */
export function resolveCommandInstallables(store: LocalStore, o: InstallableOptions): Resolved[] {
  let evaluator: ReturnType<typeof makeEvaluator> | null = null;
  const ev = (): ReturnType<typeof makeEvaluator> => (evaluator ??= makeEvaluator({ includes: o.includes, pure: false, store }));
  return resolveInstallables(ev, store, o, () => autoArgsFor(ev(), o.args));
}

/** The derivations among resolved installables, as build requests. */
export function buildRequestsOf(resolved: readonly Resolved[]): BuildRequest[] {
  const requests: BuildRequest[] = [];
  for (const r of resolved) if (r.kind === "drv") requests.push({ drvPath: r.ref.drvPath, outputs: r.ref.outputs });
  return requests;
}

/** Builds the requests interruptibly; a failed build is reported on stderr and gives null. */
export async function buildReportingFailure(scheduler: Scheduler, requests: readonly BuildRequest[]): Promise<BuildOutcome[] | null> {
  try {
    return await buildInterruptibly(scheduler, requests);
  } catch (e) {
    if (e instanceof BuildError) {
      writeErr(formatErrorMessage(e.message));
      return null;
    }
    throw e;
  }
}

/** `tix build ARGS…`; what it prints on stdout goes to `out` (callers in this process capture it). */
export async function runBuild(argv: string[], out: (s: string) => void = writeOut): Promise<number> {
  const o = parseBuildArgs(argv);
  if (o === null) {
    out(HELP);
    return 0;
  }
  const settings = buildSettingsFrom(o);
  const store = openLocalStoreFromOption(o.storeRoot);
  try {
    const resolved = resolveCommandInstallables(store, o);
    const requests = buildRequestsOf(resolved);

    const scheduler = new Scheduler({ store, settings, reporter: stderrReporter(settings), mode: o.rebuild ? "check" : "normal" });
    if (o.dryRun) {
      const { outcomes } = scheduler.dryRun(requests);
      if (o.json) out(outputsJson(outcomes) + "\n");
      return 0;
    }
    const outcomes = await buildReportingFailure(scheduler, requests);
    if (outcomes === null) return 1;

    // What each installable gave, in the order given: links, JSON and paths are numbered by it.
    let next = 0;
    const results = resolved.map((r): { path: string } | { outcome: BuildOutcome } => (r.kind === "opaque" ? { path: r.ref.path } : { outcome: outcomes[next++]! }));
    if (!o.noLink) {
      results.forEach((r, i) => {
        const base = i > 0 ? `${o.outLink}-${i}` : o.outLink;
        if ("path" in r) addPermRoot(store, r.path, base);
        else for (const [name, p] of sortedOutputs(r.outcome)) addPermRoot(store, p, name === "out" ? base : `${base}-${name}`);
      });
    }
    if (o.json) {
      out(JSON.stringify(results.map((r) => ("path" in r ? { path: r.path } : outcomeJson(r.outcome)))) + "\n");
    }
    if (o.printOutPaths) {
      for (const r of results) {
        if ("path" in r) out(r.path + "\n");
        else for (const [, p] of sortedOutputs(r.outcome)) out(p + "\n");
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

