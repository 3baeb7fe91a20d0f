// Helpers for the build tests: a store-importable busybox, running bin/tix (synchronously or
// without blocking the event loop, for tests that serve HTTP/TCP themselves), and the Nix oracle.

import * as fs from "node:fs";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir } from "../store/test-util.js";

export const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether builds can run here: root (for the chroot stores), bubblewrap and a static busybox. */
export function canBuild(): boolean {
  if (process.getuid?.() !== 0) return false;
  if (spawnSync("bwrap", ["--version"], { stdio: "ignore" }).status !== 0) return false;
  return fs.existsSync("/bin/busybox");
}

let bbDir: string | null = null;

/** A directory holding a copy of the static busybox (`busybox` inside), to import with builtins.path. */
export function busyboxDir(): string {
  if (bbDir === null) {
    bbDir = path.join(tempDir("tix-bb-"), "bbdir");
    fs.mkdirSync(bbDir);
    fs.copyFileSync("/bin/busybox", path.join(bbDir, "busybox"));
    fs.chmodSync(path.join(bbDir, "busybox"), 0o755);
  }
  return bbDir;
}

/**
 * A Nix file defining `bb` (the busybox binary in the store) and `mk name script attrs`, a
 * derivation running `busybox sh -c script` (busybox's shell runs its applets without PATH). Returns its path, to `import` from test expressions.
 */
export function preludeFile(dir: string): string {
  const file = path.join(dir, "prelude.nix");
  fs.writeFileSync(
    file,
    `let
  bbd = builtins.path { path = ${busyboxDir()}; name = "busybox"; };
  bb = "\${bbd}/busybox";
in {
  inherit bb;
  mk = name: script: attrs: derivation ({
    inherit name;
    system = "x86_64-linux";
    builder = bb;
    args = [ "sh" "-c" script ];
  } // attrs);
}
`,
  );
  return file;
}

/** Runs bin/tix and waits (blocking). `env` adds to the environment. */
export function tix(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(TIX, args, { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs bin/tix without blocking the event loop. */
export function tixAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIX, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

export function ok(r: RunResult, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** Every entry of the store directory of the store at `root` (physical). */
export function storeEntries(root: string): string[] {
  return fs.readdirSync(path.join(root, "nix/store")).sort();
}
