// `tix flake …`: metadata, show, lock, update, init, new, check, prefetch, archive (like `nix flake`).
import * as fs from "node:fs";
import * as path from "node:path";
import { BuildError, Scheduler, formatErrorMessage } from "../build/index.js";
import { dumpPath } from "../store/formats/index.js";
import { openLocalStore, type LocalStore } from "../store/local-store.js";
import { Attrs, NixPath, NixString, Thunk } from "../eval/value.js";
import { checkFlakeOutputs } from "../flake/check.js";
import { FlakeError } from "../flake/errors.js";
import { fetchFlakeRef, fetchOrResolve } from "../flake/flake-env.js";
import type { ProbeAnswer } from "../flake/fs-probe.js";
import { flakeRefToAttrs, flakeRefToString, isRelative, type FlakeRef } from "../flake/flake-ref.js";
import { resolveParsedInstallable, type AttrSearch } from "../flake/installable.js";
import { dumpJson, type JsonValue } from "../flake/json.js";
import { fromBytes, toBytes } from "../flake/load-flake.js";
import { parseInputPath, printInputPath, serializeLockFile, type LockNode } from "../flake/lock-file.js";
import type { LockedFlake } from "../flake/lock.js";
import type { FlakeSession } from "../flake/session.js";
import { showFlakeOutputs, showHeader, TREE_CONN, TREE_LAST, TREE_LINE, TREE_NULL } from "../flake/show.js";
import { copyTemplate, gitAddIntent, writtenPaths } from "../flake/template.js";
import { emptyFlakeCliOptions, openFlakeSession, parseFlakeFlag, type FlakeCliOptions } from "./flake-setup.js";
import { NIX_STYLE, walkArgs } from "./args.js";
import { buildInterruptibly, buildSettingsFrom, stderrReporter } from "./build.js";
import { evalSystem } from "./eval-setup.js";
import { recordWrites, writeErr, writeOut } from "./output.js";
import { renderError } from "./render-error.js";
import { renderMarkdownForTerminal } from "./markdown-terminal.js";
import { saveAnswer } from "./answer-record.js";
import { stdoutIsTerminal as isTty } from "./terminal.js";
import { openLocalStoreFromOption, storeRootFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix flake COMMAND [OPTIONS] [FLAKE]

Commands:
  metadata [--json]           show the flake's metadata and inputs (alias: info)
  show [--json] [--all-systems] [--legacy]
                              show the flake's outputs
  lock                        create or update flake.lock without building
  update [INPUT...]           update all inputs (or the given ones) of the flake (--flake REF)
  init -t TEMPLATE            create a flake in the current directory from a template
  new DIR -t TEMPLATE         create a flake in DIR from a template
  check [--all-systems] [--no-build] [--keep-going]
                              check the flake's outputs and build its checks
  prefetch [--json] REF       download a flake reference into the store
  archive [--json] [--to STORE] [--dry-run]
                              copy the flake and its inputs to a store

Lock-file options: --update-input PATH, --override-input PATH REF, --recreate-lock-file,
  --no-update-lock-file, --no-write-lock-file, --commit-lock-file, --no-registries,
  --reference-lock-file FILE (start from FILE instead of flake.lock),
  --output-lock-file FILE (write FILE instead of flake.lock),
  --inputs-from FLAKEREF (that flake's inputs before the registries),
  --override-flake FROM TO, --no-allow-dirty (= --option allow-dirty false), --impure, --store DIR,
  --accept-flake-config (apply every setting of the flake's nixConfig)
`;

interface FlakeCmdOptions extends FlakeCliOptions {
  json: boolean;
  allSystems: boolean;
  legacy: boolean;
  template: string | null;
  to: string | null;
  dryRun: boolean;
  flakeArg: string | null;
  noBuild: boolean;
  keepGoing: boolean;
  printBuildLogs: boolean;
  positional: string[];
}

function parseArgs(argv: string[]): FlakeCmdOptions {
  const o: FlakeCmdOptions = {
    ...emptyFlakeCliOptions(),
    json: false,
    allSystems: false,
    legacy: false,
    template: null,
    to: null,
    dryRun: false,
    flakeArg: null,
    noBuild: false,
    keepGoing: false,
    printBuildLogs: false,
    positional: [],
  };
  walkArgs(argv, NIX_STYLE, (a, { value: next }) => {
    if (parseFlakeFlag(o, a, next)) return;
    switch (a) {
      case "--json": o.json = true; break;
      case "--all-systems": o.allSystems = true; break;
      case "--legacy": o.legacy = true; break;
      case "-t": case "--template": o.template = next(); break;
      case "--to": o.to = next(); break;
      case "--dry-run": o.dryRun = true; break;
      case "--flake": o.flakeArg = next(); break;
      case "--no-build": o.noBuild = true; break;
      case "--keep-going": case "-k": o.keepGoing = true; break;
      case "-L": case "--print-build-logs": o.printBuildLogs = true; break;
      case "-v": case "--verbose": case "--quiet": break;
      default:
        if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}'`);
        o.positional.push(a);
    }
  });
  return o;
}

const bold = (s: string): string => (isTty() ? `\x1b[1m${s}\x1b[0m` : s);

function out(s: string): void {
  writeOut(Buffer.from(s, "utf8").toString("latin1"));
}

function warn(s: string): void {
  writeErr(Buffer.from(`warning: ${s}\n`, "utf8").toString("latin1"));
}

function urlOf(session: FlakeSession, ref: FlakeRef): string {
  return flakeRefToString(ref, { style: session.env.style });
}

function onlyFlakeArg(o: FlakeCmdOptions): string {
  if (o.positional.length > 1) throw new UsageError(`too many arguments`);
  return o.positional[0] ?? ".";
}

/** Runs `f` with a session whose store is opened when first used (and closed afterwards). */
function withSession<T>(o: FlakeCliOptions, f: (session: FlakeSession) => T): T {
  let store: LocalStore | undefined;
  const session = openFlakeSession(o, () => (store ??= openLocalStoreFromOption(o.storeRoot)));
  try {
    return f(session);
  } finally {
    try {
      session.close();
    } finally {
      store?.close();
    }
  }
}

function withFlakeSession<T>(o: FlakeCliOptions, store: LocalStore, f: (session: FlakeSession, store: LocalStore) => T): T {
  const session = openFlakeSession(o, store);
  try {
    return f(session, store);
  } finally {
    session.close();
  }
}

/** Options of the subcommands that, as in Nix 2.8, do not apply the flake's `nixConfig`. */
function parseArgsNoConfig(argv: string[]): FlakeCmdOptions {
  const o = parseArgs(argv);
  o.applyNixConfig = false;
  return o;
}

export function runFlake(argv: string[]): number | Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined: case "--help": case "help": out(HELP); return 0;
    case "metadata": return metadata(parseArgsNoConfig(rest));
    case "info": return metadata(parseArgsNoConfig(rest), true);
    case "show": return show(parseArgsNoConfig(rest));
    case "lock": return lock(parseArgs(rest));
    case "update": return update(parseArgs(rest));
    case "init": return init(parseArgsNoConfig(rest), null);
    case "new": { const o = parseArgsNoConfig(rest); const dir = o.positional.shift(); if (dir === undefined) throw new UsageError("'flake new' requires a directory"); return init(o, dir); }
    case "check": return check(parseArgs(rest));
    case "prefetch": return prefetch(parseArgsNoConfig(rest));
    case "archive": return archive(parseArgsNoConfig(rest));
    default: throw new UsageError(`'flake ${sub}' is not a recognised command`);
  }
}

// -----------------------------------------------------------------------------------------------

function formatLocalTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function formatUtcTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19);
}

/** Printed by the deprecated alias `flake info` (inside the recorded answer, as it always is). */
const INFO_DEPRECATED = "'nix flake info' is a deprecated alias for 'nix flake metadata'";

function metadata(o: FlakeCmdOptions, deprecatedAlias = false): number {
  const printed = recordWrites();
  try {
    if (deprecatedAlias) warn(INFO_DEPRECATED);
    return metadataWith(o, printed);
  } finally {
    printed();
  }
}

/**
 * Records what `metadata` printed for the fast path (answer-record.ts) when the next identical
 * run prints the same: the flake was locked from a settled tree to a lock file on disk, without
 * a warning or anything else on stderr (which a next run may not repeat).
 */
function saveMetadataAnswer(session: FlakeSession, ref: FlakeRef, storePath: string, printed: () => [1 | 2, string][], localTimes: boolean): void {
  const stamp = session.lockStamp(ref);
  const writes = printed();
  const deprecation = `warning: ${INFO_DEPRECATED}\n`;
  if (stamp === undefined || writes.some(([fd, text]) => fd === 2 && text !== deprecation)) return;
  // The answer names the flake's copy in the store, which this run made sure of: once garbage
  // collection or a removed store takes it away, the CLI must copy it again.
  const copy: ProbeAnswer = { path: session.env.store.toPhysical(storePath), kind: "directory" };
  saveAnswer({ probes: [...session.probeAnswers(), copy], source: stamp.source, stamp: stamp.digest, writes, localTimes });
}

function metadataWith(o: FlakeCmdOptions, printed: () => [1 | 2, string][]): number {
  return withSession(o, (session) => {
    const ref = session.parseRef(onlyFlakeArg(o)).ref;
    const locked = session.lock(ref);
    const flake = locked.flake;
    const tree = flake.tree;
    if (o.json) {
      const j: { [k: string]: JsonValue } = {};
      if (flake.description !== undefined) j["description"] = flake.description;
      j["originalUrl"] = urlOf(session, flake.originalRef);
      j["original"] = flakeRefToAttrs(flake.originalRef);
      j["resolvedUrl"] = urlOf(session, flake.resolvedRef);
      j["resolved"] = flakeRefToAttrs(flake.resolvedRef);
      j["url"] = urlOf(session, flake.lockedRef);
      j["locked"] = flakeRefToAttrs(flake.lockedRef);
      if (tree.rev !== undefined) j["revision"] = tree.rev;
      if (tree.dirtyRev !== undefined) j["dirtyRevision"] = tree.dirtyRev;
      if (tree.revCount !== undefined) j["revCount"] = tree.revCount;
      if (tree.lastModified !== undefined) j["lastModified"] = tree.lastModified;
      j["path"] = tree.storePath;
      j["locks"] = JSON.parse(lockText(locked)) as JsonValue;
      out(dumpJson(j, -1) + "\n");
      saveMetadataAnswer(session, ref, tree.storePath, printed, false);
      return 0;
    }
    const line = (label: string, value: string) => out(`${bold(label + ":")}${" ".repeat(Math.max(1, 14 - label.length))}${value}\n`);
    line("Resolved URL", urlOf(session, flake.resolvedRef));
    line("Locked URL", urlOf(session, flake.lockedRef));
    if (flake.description !== undefined) line("Description", flake.description);
    line("Path", tree.storePath);
    if (tree.rev !== undefined) line("Revision", tree.rev);
    // A dirty Git tree has no revision; modern Nix shows the one it was made from, with -dirty.
    if (tree.dirtyRev !== undefined) line("Revision", tree.dirtyRev);
    if (tree.revCount !== undefined) line("Revisions", String(tree.revCount));
    if (tree.lastModified !== undefined) line("Last modified", formatLocalTime(tree.lastModified));
    const root = locked.lockFile.root;
    if (root.inputs.size > 0) {
      out(`${bold("Inputs:")}\n`);
      const visited = new Set<LockNode>();
      const recurse = (node: LockNode, prefix: string): void => {
        const entries = [...node.inputs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        entries.forEach(([name, edge], i) => {
          const last = i + 1 === entries.length;
          const head = prefix + (last ? TREE_LAST : TREE_CONN);
          if (edge.kind === "locked") {
            const lm = "lastModified" in edge.locked ? edge.locked.lastModified : undefined;
            out(`${head}${bold(name)}: ${urlOf(session, edge.locked)}${lm !== undefined ? ` (${formatUtcTime(lm)})` : ""}\n`);
            if (!visited.has(edge)) {
              visited.add(edge);
              recurse(edge, prefix + (last ? TREE_NULL : TREE_LINE));
            }
          } else {
            out(`${head}${bold(name)} follows input '${printInputPath(edge.path)}'\n`);
          }
        });
      };
      recurse(root, "");
    }
    saveMetadataAnswer(session, ref, tree.storePath, printed, true);
    return 0;
  });
}

/** The lock file as computed (what `locks` in the metadata JSON shows). */
function lockText(locked: LockedFlake): string {
  return serializeLockFile(locked.lockFile);
}

function show(o: FlakeCmdOptions): number {
  const printed = recordWrites();
  try {
    return showWith(o, printed);
  } finally {
    printed();
  }
}

function showWith(o: FlakeCmdOptions, printed: () => [1 | 2, string][]): number {
  return withSession(o, (session) => {
    const ref = session.parseRef(onlyFlakeArg(o)).ref;
    const { cursor, lockedRef } = session.outputs(ref);
    const system = evalSystem(o.system);
    const color = !o.json && isTty();
    const header = showHeader(urlOf(session, lockedRef), color);
    // The whole tree (without the URL, which may name another copy of the same flake) is kept
    // with the evaluation cache: an unchanged flake is shown without walking its outputs.
    const cache = cursor.root.cache;
    const key = JSON.stringify(["flake show", o.json, system, o.allSystems, o.legacy, color]);
    const cached = cache?.db.getRendered(cache.fingerprint, key);
    if (cached !== undefined) {
      const { body, warnings } = JSON.parse(cached) as { body: string; warnings: string[] };
      for (const w of warnings) warn(w);
      out(o.json ? body : header + "\n" + body);
      // Nothing was locked, fetched or evaluated: the next identical run, while the tree keeps
      // its stamp, prints exactly this again, so bin/tix-main.cjs may answer it on its own.
      const stamp = session.recordedStamp(ref);
      if (stamp !== undefined) saveAnswer({ probes: session.probeAnswers(), source: stamp.source, stamp: stamp.digest, writes: printed() });
      return 0;
    }
    const warnings: string[] = [];
    const result = showFlakeOutputs(cursor, header, {
      system,
      allSystems: o.allSystems,
      legacy: o.legacy,
      color,
      warn: (m) => {
        if (!o.json) return;
        warnings.push(m);
        warn(m);
      },
    });
    const body = o.json ? dumpJson(result.json, -1) + "\n" : result.lines.slice(1).map((l) => l + "\n").join("");
    cache?.db.putRendered(cache.fingerprint, key, JSON.stringify({ body, warnings }));
    out(o.json ? body : header + "\n" + body);
    return 0;
  });
}

function lock(o: FlakeCmdOptions): number {
  o.writeLockFile = true; // whatever the flags say, as Nix's `flake lock`
  return withSession(o, (session) => {
    const ref = session.parseRef(onlyFlakeArg(o)).ref;
    session.lock(ref);
    return 0;
  });
}

/** Whether an argument of `flake update` names a flake (old style) rather than an input. */
function looksLikeFlakeRef(a: string): boolean {
  return a === "." || a.startsWith("/") || a.startsWith("./") || a.startsWith("../") || a.includes(":") || a.includes("?");
}

function update(o: FlakeCmdOptions): number {
  let flakeArg = o.flakeArg;
  const inputs: string[] = [];
  for (const a of o.positional) {
    if (flakeArg === null && looksLikeFlakeRef(a)) flakeArg = a;
    else inputs.push(a);
  }
  o.writeLockFile = true; // whatever the flags say, as Nix's `flake update`
  if (inputs.length === 0) o.recreateLockFile = true;
  else for (const i of inputs) o.updateInputs.push(printInputPath(parseInputPath(i)));
  return withSession(o, (session) => {
    const ref = session.parseRef(flakeArg ?? ".").ref;
    session.lock(ref);
    return 0;
  });
}

async function check(o: FlakeCmdOptions): Promise<number> {
  const store = openLocalStoreFromOption(o.storeRoot);
  try {
    const checks = withFlakeSession(o, store, (session) => {
      const ref = session.parseRef(onlyFlakeArg(o)).ref;
      const locked = session.lock(ref);
      const cursor = session.outputsCursor(locked);
      const state = session.ev().state;
      const r = checkFlakeOutputs(cursor, {
        system: state.settings.system,
        allSystems: o.allSystems,
        warn,
        keepGoing: o.keepGoing,
        // As modern Nix does with --keep-going: each failure printed as an error, then a summary.
        reportError: (e) => writeErr(renderError(e, o.showTrace)),
        formatPos: (pos) => state.formatPos(pos),
        pathExists: (p) => state.io.fileType(toBytes(p)) !== null,
      });
      if (r.omittedSystems.length > 0) {
        warn(`The check omitted these incompatible systems: ${r.omittedSystems.join(", ")}\nUse '--all-systems' to check all.`);
      }
      return r;
    });
    const built = o.noBuild || checks.checkDrvs.length === 0 ? 0 : await buildChecks(store, o, checks.checkDrvs);
    if (checks.hasErrors) throw new FlakeError("some errors were encountered during the evaluation");
    return built;
  } finally {
    store.close();
  }
}

/** Builds the checks' derivations (all outputs); a failure is reported as `tix build` does. */
async function buildChecks(store: LocalStore, o: FlakeCmdOptions, drvPaths: readonly string[]): Promise<number> {
  const settings = buildSettingsFrom({ options: o.options, keepGoing: o.keepGoing, printBuildLogs: o.printBuildLogs });
  const scheduler = new Scheduler({ store, settings, reporter: stderrReporter(settings), mode: "normal" });
  try {
    await buildInterruptibly(scheduler, [...new Set(drvPaths)].map((drvPath) => ({ drvPath, outputs: null })));
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      writeErr(formatErrorMessage(e.message));
      return e.status;
    }
    throw e;
  }
}

function templateSearch(): AttrSearch {
  return { defaults: [["templates", "default"], ["defaultTemplate"]], prefixes: [["templates"]] };
}

function init(o: FlakeCmdOptions, newDir: string | null): number {
  return withSession(o, (session) => {
    const store = session.env.store;
    // `flake new` into an existing directory copies as `flake init` does (Nix does not refuse):
    // files already there are kept, and different ones are conflicts.
    const target = path.resolve(newDir ?? ".");
    const templateText = o.template ?? "templates";
    const hash = templateText.indexOf("#");
    const parsedRef = session.parseRef(hash < 0 ? templateText : templateText.slice(0, hash)).ref;
    const fragment = hash < 0 ? "" : decodeURIComponent(templateText.slice(hash + 1));
    const r = resolveParsedInstallable(session, { flakeRef: parsedRef, fragment }, { search: templateSearch() });
    const t = r.value();
    const set = t instanceof Thunk ? t.force() : t;
    if (!(set instanceof Attrs)) throw new FlakeError(`template '${r.attrPath.join(".")}' is not an attribute set`);
    const pv = set.get("path");
    if (pv === undefined) throw new FlakeError(`template '${r.attrPath.join(".")}' lacks attribute 'path'`);
    const p = pv instanceof Thunk ? pv.force() : pv;
    let logical: string;
    if (p instanceof NixPath) logical = fromBytes(p.path);
    else if (typeof p === "string") logical = fromBytes(p);
    else if (p instanceof NixString) logical = fromBytes(p.s);
    else throw new FlakeError(`template '${r.attrPath.join(".")}' has a 'path' that is not a path`);
    const physical = logical.startsWith(store.storeDir + "/") ? store.toPhysical(logical) : logical;
    if (!fs.existsSync(physical)) throw new FlakeError(`template path '${logical}' does not exist`);
    fs.mkdirSync(target, { recursive: true });
    const events = copyTemplate(physical, target);
    // Reported as Nix does, in the order of the copy; template files under their store paths.
    const source = (from: string) => path.join(logical, path.relative(physical, from));
    for (const e of events) {
      if (e.kind === "wrote") writeErr(toBytes(`wrote: ${e.path}\n`));
      else if (e.kind === "identical") writeErr(toBytes(`skipping identical file: ${source(e.from)}\n`));
      else writeErr(toBytes(`refusing to overwrite existing file '${e.path}'\n please merge it manually with '${source(e.from)}'\n`));
    }
    gitAddIntent(target, writtenPaths(events).map((w) => path.relative(target, w)));
    // The welcome text goes to stderr after a blank line, rendered, even when there are conflicts.
    const wt = set.get("welcomeText");
    if (wt !== undefined) {
      const w = wt instanceof Thunk ? wt.force() : wt;
      const text = typeof w === "string" ? w : w instanceof NixString ? w.s : null;
      if (text !== null) writeErr(toBytes(`\n\n${renderMarkdownForTerminal(fromBytes(text))}\n`));
    }
    const conflicts = events.filter((e) => e.kind === "conflict").length;
    if (conflicts > 0) throw new FlakeError(`encountered ${conflicts} conflicts - see above`);
    return 0;
  });
}

function prefetch(o: FlakeCmdOptions): number {
  return withSession(o, (session) => {
    const ref = session.parseRef(onlyFlakeArg(o)).ref;
    const f = fetchOrResolve(session.env, ref, o.useRegistries);
    if (o.json) {
      out(
        dumpJson({ hash: f.tree.narHash, locked: flakeRefToAttrs(f.lockedRef), original: flakeRefToAttrs(ref), storePath: f.tree.storePath }, -1) + "\n",
      );
    } else {
      writeErr(`Downloaded '${urlOf(session, f.lockedRef)}' to '${f.tree.storePath}' (hash '${f.tree.narHash}').\n`);
    }
    return 0;
  });
}

function archive(o: FlakeCmdOptions): number {
  return withSession(o, (session) => {
    const store = session.env.store;
    const ref = session.parseRef(onlyFlakeArg(o)).ref;
    const locked = session.lock(ref);
    const paths = new Set<string>([locked.flake.tree.storePath]);
    const visited = new Set<LockNode>();
    const walk = (node: LockNode, parentPath: string): { [k: string]: JsonValue } => {
      const inputs: { [k: string]: JsonValue } = {};
      for (const [name, edge] of [...node.inputs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (edge.kind !== "locked") continue;
        // Relative path inputs live inside their parent's tree, which is already copied.
        const storePath = isRelative(edge.locked) ? parentPath : fetchFlakeRef(session.env, edge.locked).storePath;
        paths.add(storePath);
        // Nix prints `path` before `inputs` here (insertion order, not sorted).
        const entry: { [k: string]: JsonValue } = { path: storePath };
        if (!visited.has(edge)) {
          visited.add(edge);
          entry["inputs"] = walk(edge, storePath);
        } else entry["inputs"] = {};
        inputs[name] = entry;
      }
      return inputs;
    };
    const inputs = walk(locked.lockFile.root, locked.flake.tree.storePath);
    if (o.to !== null && !o.dryRun) copyPaths(store, [...paths], o.to);
    if (o.json) out(JSON.stringify({ path: locked.flake.tree.storePath, inputs }) + "\n");
    return 0;
  });
}

/** Copies store paths (and their closures) into the local store rooted at `to`. */
function copyPaths(from: LocalStore, paths: string[], to: string): void {
  const root = storeRootFromOption(to.startsWith("file://") ? to.slice(7) : to);
  if (path.resolve(root) === from.root) return;
  const dest = openLocalStore(root);
  try {
    for (const p of from.closure(paths)) {
      if (dest.isValid(p)) continue;
      const info = from.requirePathInfo(p);
      dest.addNarToStore((sink) => dumpPath(from.toPhysical(p), sink), {
        path: p,
        narHash: info.narHash,
        narSize: info.narSize,
        references: info.references,
        deriver: info.deriver,
        ca: info.ca,
      });
    }
  } finally {
    dest.close();
  }
}

