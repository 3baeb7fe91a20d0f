// Helpers for the `tix flake …` tests that run bin/tix (and Nix 2.8 where installed) on flakes in
// temporary git repositories, with registries, caches and stores under one temp directory.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunResult } from "../build/build-fixtures.js";
import { stampTree } from "../flake/source-stamp.js";
import { tempDir } from "../store/test-util.js";

export interface World {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly tixStore: string;
  readonly nixStore: string;
}

/** A temp directory with an empty global registry, a private HOME and fixed git dates. */
export function world(): World {
  const root = tempDir("tix-flake-");
  const home = path.join(root, "home");
  fs.mkdirSync(home);
  const emptyRegistry = path.join(root, "empty-registry.json");
  fs.writeFileSync(emptyRegistry, '{"flakes":[],"version":2}');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    TIX_SYSTEM: "x86_64-linux",
    TIX_SYSTEM_REGISTRY: path.join(root, "system-registry.json"),
    TIX_GLOBAL_REGISTRY: emptyRegistry,
    NIX_CONFIG: `experimental-features = nix-command flakes\nsubstituters =\nflake-registry = ${emptyRegistry}\nsystem = x86_64-linux`,
    GIT_AUTHOR_DATE: "2024-01-02T03:04:05Z",
    GIT_COMMITTER_DATE: "2024-01-02T03:04:05Z",
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@t",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@t",
    TZ: "UTC",
  };
  return { root, env, tixStore: path.join(root, "tix-store"), nixStore: path.join(root, "nix-store") };
}

export function sh(w: World, cwd: string, cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...w.env, ...extraEnv }, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function git(w: World, cwd: string, ...args: string[]): string {
  const r = sh(w, cwd, "git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=master", ...args]);
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** A git repository with the given files, committed. */
export function repo(w: World, name: string, files: Record<string, string>): string {
  const dir = path.join(w.root, name);
  fs.mkdirSync(dir, { recursive: true });
  git(w, dir, "init", "-q");
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  git(w, dir, "add", ".");
  git(w, dir, "commit", "-qm", "init");
  return dir;
}

export function commitFile(w: World, dir: string, file: string, text: string): void {
  fs.writeFileSync(path.join(dir, file), text);
  git(w, dir, "add", file);
  git(w, dir, "commit", "-qm", `change ${file}`);
}

export function tix(w: World, cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): RunResult {
  return sh(w, cwd, path.resolve("bin/tix"), ["--store", w.tixStore, ...args], extraEnv);
}

export function nix(w: World, cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): RunResult {
  return sh(w, cwd, "nix", ["--store", w.nixStore, ...args], extraEnv);
}

export function ok(r: RunResult, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

export const lockOf = (dir: string): string => fs.readFileSync(path.join(dir, "flake.lock"), "utf8");

/** The `warning: …` lines of a run's stderr that contain `what`. */
export function warningsAbout(stderr: string, what: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("warning: ") && l.includes(what));
}

/**
 * A `path:` flake (not a git repository) at `<root>/flake` with packages `aa`, `bb` and `fromDep`
 * (named by the file `name` of its non-flake input `<root>/dep`, "from-dep") for x86_64-linux and
 * `other` for aarch64-linux; `dep2` is a second such input ("from-dep2") to override it with.
 * Used by the tests of answers that must not go stale (evaluation cache, recorded answers).
 */
export function packagesFlake(w: World): { dir: string; dep2: string } {
  const dep = path.join(w.root, "dep");
  const dep2 = path.join(w.root, "dep2");
  fs.mkdirSync(dep);
  fs.writeFileSync(path.join(dep, "name"), "from-dep");
  fs.mkdirSync(dep2);
  fs.writeFileSync(path.join(dep2, "name"), "from-dep2");
  const dir = path.join(w.root, "flake");
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, "flake.nix"),
    `{
  description = "packages";
  inputs.dep = { url = "path:${dep}"; flake = false; };
  outputs = { self, dep }: let
    mk = name: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ]; };
  in {
    packages.x86_64-linux = { aa = mk "aa"; bb = mk "bb"; fromDep = mk (builtins.readFile "\${dep}/name"); };
    packages.aarch64-linux.other = mk "other";
  };
}
`,
  );
  return { dir, dep2 };
}

/** Waits until the tree's files are old enough for their stamp to be trusted (source-stamp.ts). */
export function settle(dir: string): void {
  const deadline = Date.now() + 5000;
  while (stampTree(dir)?.settled !== true) {
    if (Date.now() > deadline) throw new Error(`the stamp of '${dir}' did not settle`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}
