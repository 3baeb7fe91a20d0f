// `tix run [INSTALLABLE] [ARGS…]` (like `nix run`): finds an app (`apps.<system>.NAME`, then the
// packages), builds what it needs with the progress `tix build` shows, and runs its program with
// ARGS, exiting with its status.
import { Scheduler, type BuildOutcome, type BuildRequest } from "../build/index.js";
import { parseDrvName } from "../eval/versions.js";
import { FlakeError } from "../flake/errors.js";
import { showAttrPath } from "../flake/attr-path.js";
import { AttrCursor } from "../flake/eval-cache.js";
import { parseAttrPath } from "../flake/attr-path.js";
import { resolveInstallable } from "../flake/installable.js";
import type { LocalStore } from "../store/local-store.js";
import { autoArgsFor, buildReportingFailure, buildSettingsFrom, parseBuildSettingFlag, stderrReporter } from "./build.js";
import { autoCall, findAlongAttrPath, makeEvaluator } from "./eval-setup.js";
import { execInStore, exitLikeProgram, type ProgramEnd } from "./exec-in-store.js";
import { openFlakeSession } from "./flake-setup.js";
import { emptyInstallableOptions, evaluateInstallableRoot, isStorePathInstallable, parseInstallableFlag, type InstallableOptions } from "./installables.js";
import { NIX_STYLE, walkArgs } from "./args.js";
import { argBytes, writeOut } from "./output.js";
import { openLocalStoreFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix run [OPTIONS] [INSTALLABLE] [-- ARGS...]

Builds an app or package of a flake and runs it with ARGS. INSTALLABLE (default: .) is
FLAKEREF#NAME; NAME is looked up as apps.<system>.NAME, packages.<system>.NAME,
legacyPackages.<system>.NAME, then NAME; without NAME, apps.<system>.default,
defaultApp.<system>, packages.<system>.default, defaultPackage.<system>.

An app is { type = "app"; program = "/nix/store/…"; }; a package runs
OUT/bin/NAME, NAME being meta.mainProgram, pname, or its name without the version.

With -f FILE or --expr EXPR, INSTALLABLE is an attribute path of that value instead
(-A PATH: of ./default.nix, or of FILE).

Options:
  -f, --file FILE, --expr EXPR, -A, --attr PATH, --arg NAME EXPR, --argstr NAME STRING
  --store DIR              use the chroot store rooted at DIR (the program runs where
                           DIR/nix/store is seen at /nix/store)
  --impure                 allow impure evaluation
  --override-input INPUT FLAKEREF, --update-input INPUT, --no-write-lock-file, ...
                           as for tix build
  -j, --max-jobs N, --cores N, -k, -K, -L, --option NAME VALUE
                           build settings, as for tix build
`;

export interface RunOptions extends InstallableOptions {
  maxJobs: string | null;
  cores: string | null;
  keepFailed: boolean;
  keepGoing: boolean;
  printBuildLogs: boolean;
  /** ARGS (run) or the command (shell -c). */
  command: string[] | null;
}

export function emptyRunOptions(): RunOptions {
  return { ...emptyInstallableOptions(), maxJobs: null, cores: null, keepFailed: false, keepGoing: false, printBuildLogs: false, command: null };
}

/** The build flags `run` and `shell` share with `tix build`; false for other arguments. */
export function parseRunBuildFlag(o: RunOptions, a: string, next: () => string): boolean {
  if (parseInstallableFlag(o, a, next)) return true;
  if (parseBuildSettingFlag(o, a, next)) return true;
  switch (a) {
    case "-K": case "--keep-failed": o.keepFailed = true; return true;
    case "-k": case "--keep-going": o.keepGoing = true; return true;
    case "-L": case "--print-build-logs": o.printBuildLogs = true; return true;
    case "-j": case "--max-jobs": o.maxJobs = next(); return true;
    case "--cores": o.cores = next(); return true;
    case "-Q": case "--no-build-output": case "--quiet": case "-v": case "--verbose": return true;
    default: return false;
  }
}

function parseRunArgs(argv: string[]): RunOptions | null {
  const o = emptyRunOptions();
  const args: string[] = [];
  let help = false;
  walkArgs(argv, NIX_STYLE, (a, { value: next, rest }) => {
    if (a === "--") {
      args.push(...rest());
      return;
    }
    if (a === "--help") {
      help = true;
      rest();
      return;
    }
    if (parseRunBuildFlag(o, a, next)) return;
    if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}' (arguments for the program go after '--')`);
    // Like `nix run`: the first word is the installable, later ones are the program's arguments.
    if (o.installables.length === 0) o.installables.push(a);
    else args.push(a);
  });
  o.command = args;
  return help ? null : o;
}

/** A program to run, and what to build for it. */
interface RunnablePlan {
  readonly requests: BuildRequest[];
  /** The program, given the built outputs (in request order). */
  readonly program: (outputs: readonly Map<string, string>[]) => string;
}

function stringAt(c: AttrCursor | undefined): string | undefined {
  const s = c?.getString();
  return s === undefined ? undefined : typeof s === "string" ? s : s.s;
}

/** The program's name in OUT/bin: meta.mainProgram, pname, or the name without its version. */
function mainProgramOf(c: AttrCursor): string {
  const main = stringAt(c.maybeGetAttr("meta")?.maybeGetAttr("mainProgram"));
  if (main !== undefined) return main;
  const pname = stringAt(c.maybeGetAttr("pname"));
  if (pname !== undefined) return pname;
  const name = stringAt(c.maybeGetAttr("name"));
  if (name === undefined) throw new FlakeError(`derivation '${showAttrPath(c.attrPath)}' has no 'name' attribute`);
  return parseDrvName(name).name;
}

/** What the string context of an app's program asks to be built. */
function contextRequests(store: LocalStore, ctx: ReadonlySet<string>): BuildRequest[] {
  const out: BuildRequest[] = [];
  for (const el of [...ctx].sort()) {
    if (el.startsWith("=")) out.push({ drvPath: el.slice(1), outputs: null });
    else if (el.startsWith("!")) {
      const bang = el.indexOf("!", 1);
      out.push({ drvPath: el.slice(bang + 1), outputs: [el.slice(1, bang)] });
    } else if (!store.isValid(el)) throw new FlakeError(`path '${el}' is not valid`);
  }
  return out;
}

function planFor(store: LocalStore, c: AttrCursor): RunnablePlan {
  const where = showAttrPath(c.attrPath);
  if (c.isDerivation()) {
    const drvPath = stringAt(c.maybeGetAttr("drvPath"));
    if (drvPath === undefined) throw new FlakeError(`derivation '${where}' lacks a 'drvPath' attribute`);
    const outputName = stringAt(c.maybeGetAttr("outputName")) ?? "out";
    const bin = mainProgramOf(c);
    return {
      requests: [{ drvPath, outputs: [outputName] }],
      program: ([built]) => `${built!.get(outputName)}/bin/${bin}`,
    };
  }
  const type = c.attrNames() === undefined ? undefined : c.maybeGetAttr("type");
  if (type === undefined) throw new FlakeError(`attribute '${where}.type' does not exist`);
  if (stringAt(type) !== "app") throw new FlakeError(`attribute '${where}' should have type 'app'`);
  const programCursor = c.maybeGetAttr("program");
  if (programCursor === undefined) throw new FlakeError(`attribute '${where}.program' does not exist`);
  const program = programCursor.getString();
  if (program === undefined) throw new FlakeError(`attribute '${where}.program' is not a string`);
  const text = typeof program === "string" ? program : program.s;
  if (!text.startsWith(store.storeDir + "/")) throw new FlakeError(`app program '${text}' is not in the Nix store`);
  return { requests: typeof program === "string" ? [] : contextRequests(store, program.ctx), program: () => text };
}

/** The installable of a flake: its app or package, through the evaluation cache. */
function flakeCursor(store: LocalStore, o: RunOptions): AttrCursor {
  const session = openFlakeSession({ ...o.flake!, includes: o.includes }, store);
  try {
    return resolveInstallable(session, o.installables[0] ?? ".", { kind: "run" }).cursor;
  } finally {
    session.close();
  }
}

/** `-f FILE`/`--expr EXPR` (or ./default.nix with `-A`) and an attribute path: evaluated as is. */
function expressionCursor(store: LocalStore, o: RunOptions): AttrCursor {
  const attrPath = o.attrs[0] ?? o.installables[0] ?? "";
  if (o.attrs.length > 0 && o.installables.length > 0) o.command = [...o.installables, ...(o.command ?? [])];
  const evaluator = makeEvaluator({ includes: o.includes, pure: false, store });
  const autoArgs = autoArgsFor(evaluator, o.args);
  const root = evaluateInstallableRoot(evaluator, o.expr, o.file ?? "default.nix");
  const value = autoCall(evaluator, findAlongAttrPath(evaluator, root, argBytes(attrPath), autoArgs), autoArgs);
  const cursorRoot = { cache: null, rootValue: () => value, isValidPath: (p: string) => store.isValid(p) };
  return new AttrCursor(cursorRoot, parseAttrPath(attrPath), null);
}

/**
 * A store path (or a link to one, like `./result`) has no attributes to find a program in; modern
 * Nix refuses it with this message (2.8: "argument '…' cannot be evaluated"). Without this it
 * would be taken for a `path:` flake reference and fail on a missing flake.nix.
 */
function refuseStorePath(store: LocalStore, installable: string | undefined): void {
  if (installable === undefined || !isStorePathInstallable(store, installable)) return;
  throw new FlakeError(
    `installable '${installable}' does not correspond to a Nix language value\n` +
      `(run the program inside it directly, or use 'tix shell ${installable} -c PROGRAM')`,
  );
}

/** A program to run, with its environment (default: tix's own). */
export interface ProgramToRun {
  readonly argv: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * What `run` and `shell` share: opens the store, lets `prepare` build what it needs (`build`
 * reports a failure and gives null) and name the program — or give an exit status instead —,
 * runs it, closes the store, and only then ends the way the program ended (exitLikeProgram).
 */
export async function buildAndRun(
  o: RunOptions,
  prepare: (store: LocalStore, build: (requests: readonly BuildRequest[]) => Promise<BuildOutcome[] | null>) => Promise<ProgramToRun | number>,
): Promise<number> {
  const settings = buildSettingsFrom(o);
  const store = openLocalStoreFromOption(o.storeRoot);
  let end: ProgramEnd;
  try {
    const build = (requests: readonly BuildRequest[]): Promise<BuildOutcome[] | null> =>
      buildReportingFailure(new Scheduler({ store, settings, reporter: stderrReporter(settings), mode: "normal" }), requests);
    const program = await prepare(store, build);
    if (typeof program === "number") return program;
    end = await execInStore(store, program.argv, program.env);
  } finally {
    store.close();
  }
  return exitLikeProgram(end);
}

/** `tix run ARGS…`. */
export async function runRun(argv: string[]): Promise<number> {
  const o = parseRunArgs(argv);
  if (o === null) {
    writeOut(HELP);
    return 0;
  }
  return buildAndRun(o, async (store, build) => {
    const fromExpression = o.file !== null || o.expr !== null || o.attrs.length > 0;
    if (!fromExpression) refuseStorePath(store, o.installables[0]);
    const plan = planFor(store, fromExpression ? expressionCursor(store, o) : flakeCursor(store, o));
    const outcomes = await build(plan.requests);
    if (outcomes === null) return 1;
    return { argv: [plan.program(outcomes.map((b) => b.outputs)), ...(o.command ?? [])] };
  });
}
