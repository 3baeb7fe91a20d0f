// Helpers for the store tests: temporary directories, the real Nix (the oracle) when installed,
// and small file trees.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { deleteTree } from "./canonicalise.js";

/** A fresh temporary directory, removed (made writable first) when the process exits. */
export function tempDir(prefix = "tix-store-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => deleteTree(dir));
  return dir;
}

const NIX_ENV = {
  ...process.env,
  NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =",
};

let nixAvailable: boolean | undefined;

/** Whether Nix's own tools are installed to compare against. */
export function hasNix(): boolean {
  nixAvailable ??= spawnSync("nix-store", ["--version"], { stdio: "ignore" }).status === 0;
  return nixAvailable;
}

/** Runs a Nix tool; throws with its stderr if it fails (unless `allowFail`). */
export function nix(cmd: string, args: readonly string[], opts: { allowFail?: boolean; input?: Buffer } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { env: NIX_ENV, encoding: "utf8", input: opts.input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return r;
}

/** Writes a tree described as { name: contents | { nested } | ["symlink", target] | ["exec", contents] }. */
export type TreeSpec = { [name: string]: string | TreeSpec | ["symlink" | "exec", string] };

export function writeTree(dir: string, spec: TreeSpec): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, v] of Object.entries(spec)) {
    const p = path.join(dir, name);
    if (typeof v === "string") fs.writeFileSync(p, v);
    else if (Array.isArray(v)) {
      if (v[0] === "symlink") fs.symlinkSync(v[1], p);
      else fs.writeFileSync(p, v[1], { mode: 0o755 });
    } else writeTree(p, v);
  }
  return dir;
}
