// Running a program from the store with the caller's stdio: directly for the real /nix, and for a
// chroot store (`--store DIR`) inside a private mount namespace where DIR/nix/store is seen at
// /nix/store (the rest of the file system as it is), as Nix does for chroot stores.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import type { LocalStore } from "../store/local-store.js";
import { requireProgram } from "../system/exec.js";
import { SystemError } from "../system/errors.js";

/** Where the file at logical path `p` is on disk (store paths of a chroot store live below its root). */
function physical(store: LocalStore, p: string): string {
  return p === store.storeDir || p.startsWith(store.storeDir + "/") ? store.toPhysical(p) : p;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Checks that `program` (a path, or a name looked up on `PATH`) can be run, before any namespace is made. */
function checkRunnable(store: LocalStore, program: string, PATH: string | undefined): void {
  const found = program.includes("/")
    ? isExecutable(physical(store, program))
    : (PATH ?? "").split(":").some((d) => d !== "" && isExecutable(physical(store, `${d}/${program}`)));
  if (!found) throw new SystemError(`unable to execute '${program}': No such file or directory`);
}

/** How a program ended: its exit status, or the signal that killed it. */
export type ProgramEnd = { readonly code: number; readonly signal: null } | { readonly code: null; readonly signal: NodeJS.Signals };

/**
 * Ends tix the way `end` ended the program, as if tix had exec'd it (as Nix does): a program
 * killed by a signal kills tix with the same signal, so the caller's shell sees that (and stops
 * a script on Ctrl-C). Call it after cleaning up; returns the exit status otherwise (128 + the
 * signal's number if the signal did not end tix).
 */
export function exitLikeProgram(end: ProgramEnd): number {
  if (end.signal === null) return end.code;
  process.kill(process.pid, end.signal);
  return 128 + (os.constants.signals[end.signal] ?? 9);
}

/**
 * Runs `argv` with `env` and the caller's terminal; resolves to how it ended. Meanwhile tix
 * ignores the terminal's SIGINT/SIGQUIT (they reach the program, as if it had been exec'd: an
 * interactive shell survives Ctrl-C) and passes SIGTERM/SIGHUP on. (Under bubblewrap, for a
 * chroot store, a killed program is reported by bwrap as exit status 128 + its number.)
 */
export function execInStore(store: LocalStore, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProgramEnd> {
  checkRunnable(store, argv[0]!, env["PATH"]);
  const direct = store.realStoreDir === store.storeDir;
  const [cmd, args] = direct
    ? [argv[0]!, argv.slice(1)]
    : [
        requireProgram("bwrap", "bubblewrap"),
        ["--dev-bind", "/", "/", "--bind", store.realStoreDir, store.storeDir, "--die-with-parent", "--", ...argv],
      ];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    const ignore = (): void => {};
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const handlers: [NodeJS.Signals, (s: NodeJS.Signals) => void][] = [["SIGINT", ignore], ["SIGQUIT", ignore], ["SIGTERM", forward], ["SIGHUP", forward]];
    for (const [s, h] of handlers) process.on(s, h);
    const done = (): void => {
      for (const [s, h] of handlers) process.off(s, h);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      done();
      reject(new SystemError(`unable to execute '${argv[0]}': ${e.code === "ENOENT" ? "No such file or directory" : e.message}`));
    });
    child.on("exit", (code, signal) => {
      done();
      resolve(signal !== null ? { code: null, signal } : { code: code ?? 1, signal: null });
    });
  });
}
