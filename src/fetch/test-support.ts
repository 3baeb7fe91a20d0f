// Test support for the fetchers: a fresh store and fetch context, temporary git repositories with
// fixed commit dates, and the real Nix (the oracle) run against its own temporary store.

import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { openLocalStore, type LocalStore } from "../store/local-store.js";
import { hasNix, tempDir } from "../store/test-util.js";
import type { FetchContext, FetchSettings } from "./types.js";
import { DEFAULT_FETCH_SETTINGS } from "./context.js";

export { tempDir, hasNix };

let shared: string | null = null;

/** A fresh directory below one temporary root per test process (removed at exit). */
export function freshDir(prefix = "t-"): string {
  shared ??= tempDir("tix-fetch-");
  return fs.mkdtempSync(path.join(shared, prefix));
}

export interface TestContext {
  readonly ctx: FetchContext;
  readonly store: LocalStore;
  readonly warnings: string[];
  readonly dir: string;
}

/** A fetch context on a fresh store and cache (forge URLs unreachable unless overridden). */
export function testContext(settings: Partial<FetchSettings> = {}, dir = freshDir("ctx-")): TestContext {
  const store = openLocalStore(path.join(dir, "store"));
  const warnings: string[] = [];
  const ctx: FetchContext = {
    store,
    cacheDir: path.join(dir, "cache"),
    settings: {
      ...DEFAULT_FETCH_SETTINGS,
      githubApiUrl: "http://127.0.0.1:9/",
      githubArchiveUrl: "http://127.0.0.1:9/",
      gitlabUrl: "http://127.0.0.1:9/",
      sourcehutUrl: "http://127.0.0.1:9/",
      ...settings,
    },
    warn: (m) => void warnings.push(m),
  };
  return { ctx, store, warnings, dir };
}

/** Same store and cache, other settings. */
export function withSettings(t: TestContext, settings: Partial<FetchSettings>): TestContext {
  return { ...t, ctx: { ...t.ctx, settings: { ...t.ctx.settings, ...settings } } };
}

// ---------------------------------------------------------------------------------------------
// git repositories

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_COUNT: "1",
  GIT_CONFIG_KEY_0: "protocol.file.allow",
  GIT_CONFIG_VALUE_0: "always",
};

export function runGit(dir: string, args: readonly string[], env: Record<string, string> = {}): string {
  const r = spawnSync("git", ["-C", dir, ...args], { env: { ...GIT_ENV, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

export type Files = Record<string, string | { exec: string } | { symlink: string } | null>;

/** Writes files (null deletes). */
export function writeFiles(dir: string, files: Files): void {
  for (const [name, v] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (v === null) {
      fs.rmSync(p, { force: true, recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.rmSync(p, { force: true });
    if (typeof v === "string") fs.writeFileSync(p, v);
    else if ("exec" in v) fs.writeFileSync(p, v.exec, { mode: 0o755 });
    else fs.symlinkSync(v.symlink, p);
  }
}

/** A new repository (branch `main`, local identity) at `dir`. */
export function initRepo(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  runGit(dir, ["init", "-q", "-b", "main"]);
  runGit(dir, ["config", "user.name", "Tix Test"]);
  runGit(dir, ["config", "user.email", "tix@example.org"]);
  return dir;
}

/** Writes files, stages everything and commits with a fixed date (seconds); returns the commit. */
export function commit(dir: string, files: Files, date: number, message = "commit"): string {
  writeFiles(dir, files);
  runGit(dir, ["add", "-A"]);
  const d = `@${date} +0000`;
  runGit(dir, ["commit", "-q", "--allow-empty", "-m", message], { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d });
  return runGit(dir, ["rev-parse", "HEAD"]);
}

// ---------------------------------------------------------------------------------------------
// The oracle

export interface Oracle {
  /** Runs `nix ARGS --store STORE`; returns stdout, or throws with stderr. */
  run(args: readonly string[]): string;
  /** Like run, but returns stderr of a failing command (throws if it succeeds). */
  fail(args: readonly string[]): string;
  /** `nix flake metadata --json URL`. */
  metadata(url: string): { locked: Record<string, unknown>; path: string; [k: string]: unknown };
  /** Evaluates `builtins.toJSON (EXPR)` impurely and parses the result. */
  evalJson(expr: string): unknown;
}

/** The real Nix, or null when it is not installed. */
export function oracle(): Oracle | null {
  if (!hasNix()) return null;
  const dir = freshDir("oracle-");
  fs.writeFileSync(path.join(dir, "registry.json"), '{"flakes":[],"version":2}');
  const env = {
    ...GIT_ENV,
    HOME: path.join(dir, "home"),
    XDG_CACHE_HOME: path.join(dir, "cache"),
    NIX_CONFIG: `experimental-features = nix-command flakes\nsubstituters =\nflake-registry = ${dir}/registry.json`,
  };
  const exec = (args: readonly string[]): { status: number | null; stdout: string; stderr: string } =>
    spawnSync("nix", [...args, "--store", path.join(dir, "store")], { env, encoding: "utf8", maxBuffer: 64 << 20 });
  const run = (args: readonly string[]): string => {
    const r = exec(args);
    if (r.status !== 0) throw new Error(`nix ${args.join(" ")} failed:\n${r.stderr}`);
    return r.stdout;
  };
  return {
    run,
    fail(args) {
      const r = exec(args);
      if (r.status === 0) throw new Error(`nix ${args.join(" ")} unexpectedly succeeded`);
      return r.stderr;
    },
    metadata: (url) => JSON.parse(run(["flake", "metadata", "--json", url])),
    evalJson: (expr) => JSON.parse(run(["eval", "--impure", "--raw", "--expr", `builtins.toJSON (${expr})`])),
  };
}
