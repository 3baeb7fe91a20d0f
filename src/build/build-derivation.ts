// Builds one derivation whose inputs are all valid: locks its outputs, prepares the build directory
// and environment, runs the builder (sandboxed, unsandboxed or built in), keeps the log, and
// registers the outputs; on failure removes everything it created (or keeps the build directory).

import * as fs from "node:fs";
import * as path from "node:path";
import {
  deleteTree,
  isFixedOutputDerivation,
  type Derivation,
  type FileLock,
  type LocalStore,
} from "../store/index.js";
import { parseDrvName } from "../eval/versions.js";
import { builderEnv } from "./builder-env.js";
import { builtinFetchurl } from "./builtin-fetchurl.js";
import { describeSignal, runProcess, type ProcessResult } from "./builder-process.js";
import { BuildCancelled, BuildError } from "./errors.js";
import { BuildLog, logFileFor } from "./logs.js";
import type { BuildReporter } from "./progress.js";
import { registerOutputs } from "./register-outputs.js";
import { exportReferenceGraphs } from "./reference-graphs.js";
import { chrootLocation, divertedStoreArgs, SANDBOX_BUILD_DIR, sandboxArgs } from "./sandbox.js";
import { sandboxSeccompFilter } from "./seccomp.js";
import { effectiveCores, type BuildSettings } from "./settings.js";

export interface BuildContext {
  readonly store: LocalStore;
  readonly settings: BuildSettings;
  readonly reporter: BuildReporter;
  readonly hostEnv: NodeJS.ProcessEnv;
  /** Reads (and caches) the derivation stored at a .drv path. */
  readonly readDerivation: (drvPath: string) => Derivation;
}

export type BuildMode = "normal" | "check";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The derivation name of a .drv path (`/nix/store/h-foo.drv` ⇒ `foo`). */
export function drvName(drvPath: string): string {
  const base = path.basename(drvPath);
  return base.slice(33, base.endsWith(".drv") ? -4 : undefined);
}

/** Takes the locks of `paths` without blocking the event loop; gives up when `signal` fires. */
async function lockAll(store: LocalStore, paths: readonly string[], signal: AbortSignal, onWait: () => void): Promise<FileLock[]> {
  const held: FileLock[] = [];
  let waited = false;
  try {
    for (const p of [...paths].sort()) {
      for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
        if (signal.aborted) throw new BuildCancelled();
        const l = store.lockPath(p, false);
        if (l !== null) {
          held.push(l);
          break;
        }
        if (!waited) onWait();
        waited = true;
        await sleep(delay);
      }
    }
    return held;
  } catch (e) {
    for (const l of held) l.release();
    throw e;
  }
}

/** A fresh `<root>/nix-build-NAME.drv-N` directory (mode 0700). */
function makeBuildDir(root: string, name: string): string {
  for (let n = 0; ; n++) {
    const dir = path.join(root, `nix-build-${name}.drv-${n}`);
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

function checkPlatform(ctx: BuildContext, drvPath: string, drv: Derivation): void {
  const s = ctx.settings;
  const required = (drv.env.get("requiredSystemFeatures") ?? "").split(/\s+/).filter((f) => f !== "");
  const platformOk = drv.system === s.system || s.extraPlatforms.includes(drv.system) || (drv.system === "builtin" && drv.builder.startsWith("builtin:"));
  const featuresOk = required.every((f) => s.systemFeatures.includes(f));
  if (!platformOk || !featuresOk) {
    throw new BuildError(
      `a '${drv.system}' with features {${[...required].sort().join(", ")}} is required to build '${drvPath}', but I am a '${s.system}' with features {${[...s.systemFeatures].sort().join(", ")}}`,
      1,
    );
  }
}

/** The store paths the builder may see: the closure of its sources and used input outputs. */
function inputClosure(ctx: BuildContext, drvPath: string, drv: Derivation): string[] {
  const roots = new Set(drv.inputSrcs);
  for (const [inDrv, outs] of drv.inputDrvs) {
    const d = ctx.readDerivation(inDrv);
    for (const o of outs) {
      const p = d.outputs.get(o)?.path;
      if (p === undefined) throw new BuildError(`derivation '${inDrv}' does not have an output named '${o}' (needed by '${drvPath}')`, 1);
      roots.add(p);
    }
  }
  for (const p of roots) {
    if (!ctx.store.isValid(p)) throw new BuildError(`cannot build '${drvPath}': its input '${p}' is not valid`, 1);
  }
  return ctx.store.closure(roots);
}

function failureMessage(ctx: BuildContext, drvPath: string, r: ProcessResult, log: BuildLog): string {
  let msg = `builder for '${drvPath}' ${r.signal !== null ? `failed due to ${describeSignal(r.signal)}` : `failed with exit code ${r.code}`}`;
  const tail = log.lastLines();
  if (!ctx.settings.printBuildLogs && tail.length > 0) {
    msg += `;\nlast ${tail.length} log lines:\n${tail.map((l) => `> ${l}\n`).join("")}For full logs, run 'tix log ${drvPath}'.`;
  }
  return msg;
}

/**
 * Passes a bubblewrap-started builder's output on, but words bubblewrap's message for a builder
 * it could not start (`bwrap: execvp B: No such file or directory`, written in several pieces) as
 * Nix does: `error: executing 'B': No such file or directory`. Only the start of the output is
 * held back, and only while it could still be that message.
 */
function execFailureAsNix(builder: string, write: (c: Buffer) => void): { write: (c: Buffer) => void; flush: () => void } {
  const prefix = `bwrap: execvp ${builder}: `;
  let pending: string | null = "";
  const flush = (): void => {
    if (pending === null) return;
    const text = pending;
    pending = null;
    const end = text.indexOf("\n");
    if (text.startsWith(prefix) && end >= 0) write(Buffer.from(`error: executing '${builder}': ${text.slice(prefix.length)}`, "latin1"));
    else if (text !== "") write(Buffer.from(text, "latin1"));
  };
  return {
    write: (c) => {
      if (pending === null) return write(c);
      pending += c.toString("latin1");
      const undecided = pending.length < prefix.length ? prefix.startsWith(pending) : pending.startsWith(prefix) && !pending.includes("\n");
      if (!undecided) flush();
    },
    flush,
  };
}

/**
 * A derivation may say what to do when it fails (`failureHint`, a tix extension that Nix passes
 * on as a plain variable): the base flake's bootstrap uses it to tell how to re-pin the host's
 * busybox when its hash differs.
 */
function withFailureHint(e: unknown, drv: Derivation): unknown {
  const hint = drv.env.get("failureHint");
  if (!(e instanceof BuildError) || hint === undefined || hint.trim() === "") return e;
  return new BuildError(`${e.message}\n${hint.trim()}`, e.status);
}

/**
 * Builds `drvPath` (in `mode`) and returns its output paths. Throws BuildError on failure, and
 * BuildCancelled if `signal` fired.
 */
export async function buildDerivation(
  ctx: BuildContext,
  drvPath: string,
  drv: Derivation,
  mode: BuildMode,
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const { store, settings } = ctx;
  const name = drvName(drvPath);
  const outputs = new Map([...drv.outputs].map(([n, o]) => [n, o.path]));
  checkPlatform(ctx, drvPath, drv);

  const builtin = drv.builder.startsWith("builtin:");
  if (builtin && drv.builder !== "builtin:fetchurl") throw new BuildError(`unsupported builtin builder '${drv.builder.slice(8)}'`, 1);
  const noChroot = drv.env.get("__noChroot") === "1";
  if (noChroot && settings.sandbox === "true" && !builtin) {
    throw new BuildError(`derivation '${drvPath}' has '__noChroot' set, but that's not allowed when 'sandbox' is 'true'`, 1);
  }
  const sandboxed = !builtin && settings.sandbox !== "false" && !noChroot;
  const diverted = store.root !== "/";
  if ((sandboxed || (diverted && !builtin)) && settings.bwrap === null) {
    throw new BuildError(
      sandboxed
        ? "building in a sandbox needs bubblewrap ('bwrap'), which is not installed; install it or use '--option sandbox false'"
        : "building in a store outside /nix/store needs bubblewrap ('bwrap'), which is not installed",
      1,
    );
  }
  if (mode === "check" && !sandboxed && !builtin) {
    throw new BuildError(`checking '${drvPath}' needs the sandbox (it builds into a separate store directory)`, 1);
  }

  const chrootDir = `${store.toPhysical(drvPath)}.chroot`;
  const chrootLogical = `${drvPath}.chroot`;
  const outPaths = [...outputs.values()];
  const locks = await lockAll(store, [...outPaths, chrootLogical], signal, () =>
    ctx.reporter.message(`waiting for lock on ${outPaths.map((p) => `'${p}'`).join(", ")}\n`),
  );
  let buildDir: string | null = null;
  let log: BuildLog | null = null;
  let started = false;
  const locations = new Map<string, string>();
  try {
    const allValid = [...outputs.values()].every((p) => store.isValid(p));
    if (mode === "normal" && allValid) return outputs;
    if (mode === "check" && !allValid) throw new BuildError(`some outputs of '${drvPath}' are not valid, so checking is not possible`, 1);

    const closure = inputClosure(ctx, drvPath, drv);
    for (const p of closure) store.tempRoots.add(p);
    for (const p of outputs.values()) store.tempRoots.add(p);

    deleteTree(chrootDir);
    for (const [n, p] of outputs) {
      if (sandboxed || builtin) {
        locations.set(n, chrootLocation(chrootDir, p));
      } else {
        const real = store.toPhysical(p);
        if (!store.isValid(p)) deleteTree(real);
        locations.set(n, real);
      }
    }

    buildDir = makeBuildDir(settings.buildDirRoot, name);
    const inside = sandboxed ? SANDBOX_BUILD_DIR : buildDir;
    const referenceGraphs = exportReferenceGraphs(store, drv, new Set(closure), ctx.readDerivation);
    const { env, files } = builderEnv(drv, {
      buildDir: inside,
      cores: effectiveCores(settings),
      hostEnv: ctx.hostEnv,
      storeDir: store.storeDir,
      referenceGraphs,
    });
    for (const f of files) fs.writeFileSync(path.join(buildDir, f.name), Buffer.from(f.contents, "latin1"), { mode: 0o644 });

    // -L prefixes lines with the name without its version (`hello> `), as Nix does.
    const logPrefix = parseDrvName(name).name;
    const currentLog = new BuildLog(logFileFor(store, drvPath), settings.logLines, (e) => {
      if (e.kind === "line") ctx.reporter.logLine(drvPath, logPrefix, e.text);
      else ctx.reporter.phase(drvPath, e.phase);
    });
    log = currentLog;
    ctx.reporter.started(drvPath, name, mode === "check");
    started = true;

    let result: ProcessResult;
    if (builtin) {
      fs.mkdirSync(path.join(chrootDir, store.storeDir), { recursive: true });
      try {
        await builtinFetchurl(drv, locations.get("out")!, signal);
        result = { code: 0, signal: null };
      } catch (e) {
        if (signal.aborted) throw new BuildCancelled();
        currentLog.writeLine(`error: ${(e as Error).message}`);
        result = { code: 1, signal: null };
      }
    } else {
      let file: string;
      let args: string[];
      // Files bubblewrap reads its options and the syscall filter from, passed as fds 3, 4, …
      const fds: number[] = [];
      const filter = sandboxed || diverted ? sandboxSeccompFilter() : null;
      const seccompOption = (fd: number): string[] => (filter === null ? [] : ["--seccomp", String(fd)]);
      let proc;
      let output: ReturnType<typeof execFailureAsNix> | null = null;
      try {
        if (sandboxed) {
          const sargs = sandboxArgs({
            chrootDir,
            storeDir: store.storeDir,
            toPhysical: (p) => store.toPhysical(p),
            inputPaths: closure,
            buildDir,
            network: isFixedOutputDerivation(drv),
            sandboxPaths: settings.sandboxPaths,
            caFile: settings.caFile,
          });
          file = settings.bwrap!;
          if (sargs.reduce((n, a) => n + a.length + 1, 0) > 64 * 1024) {
            // A large closure: hand bubblewrap its options through a file instead of argv.
            const argsFile = path.join(chrootDir, "bwrap-args");
            fs.writeFileSync(argsFile, [...sargs, ...seccompOption(4)].map((a) => a + "\0").join(""));
            fds.push(fs.openSync(argsFile, "r"));
            args = ["--args", "3", "--", drv.builder, ...drv.args];
          } else {
            args = [...sargs, ...seccompOption(3), "--", drv.builder, ...drv.args];
          }
        } else if (diverted) {
          file = settings.bwrap!;
          args = [...divertedStoreArgs(store.realStoreDir, store.storeDir, buildDir), ...seccompOption(3), "--", drv.builder, ...drv.args];
        } else {
          file = drv.builder;
          args = [...drv.args];
        }
        if (filter !== null) {
          fs.mkdirSync(chrootDir, { recursive: true });
          const filterFile = path.join(chrootDir, "seccomp.bpf");
          fs.writeFileSync(filterFile, filter);
          fds.push(fs.openSync(filterFile, "r"));
        }
        if (file === settings.bwrap && settings.builderStackLimit !== null) {
          // Node has no setrlimit: a shell sets the limit, then becomes bubblewrap.
          args = ["-c", 'ulimit -S -s "$0" && exec "$@"', settings.builderStackLimit, file, ...args];
          file = "/bin/sh";
        }
        output = file === drv.builder ? null : execFailureAsNix(drv.builder, (c) => currentLog.write(c));
        const viaFilter = output;
        proc = runProcess(file, args, { env, cwd: buildDir, onOutput: viaFilter === null ? (c) => currentLog.write(c) : viaFilter.write, extraFds: fds });
      } finally {
        for (const fd of fds) fs.closeSync(fd);
      }
      const onAbort = (): void => proc.kill();
      signal.addEventListener("abort", onAbort);
      try {
        result = await proc.done;
      } finally {
        signal.removeEventListener("abort", onAbort);
        output?.flush();
      }
      if (signal.aborted) throw new BuildCancelled();
    }
    currentLog.close();
    if (result.code !== 0) throw new BuildError(failureMessage(ctx, drvPath, result, currentLog), 100);

    registerOutputs({ store, drvPath, drv, locations, inputClosure: closure, mode, keepFailed: settings.keepFailed });
    deleteTree(chrootDir);
    deleteTree(buildDir);
    if (started) ctx.reporter.finished(drvPath, true);
    return outputs;
  } catch (e) {
    log?.close();
    deleteTree(chrootDir);
    for (const [n, loc] of locations) if (!store.isValid(outputs.get(n)!)) deleteTree(loc);
    if (buildDir !== null) {
      if (settings.keepFailed && !(e instanceof BuildCancelled)) {
        // Kept for the user to look into, so readable by all (as Nix leaves it).
        fs.chmodSync(buildDir, 0o755);
        ctx.reporter.message(`note: keeping build directory '${buildDir}'\n`);
      } else deleteTree(buildDir);
    }
    if (started) ctx.reporter.finished(drvPath, false);
    throw withFailureHint(e, drv);
  } finally {
    for (const l of locks) l.release();
  }
}
