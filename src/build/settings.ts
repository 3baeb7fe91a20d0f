// Build settings (`-j`, `--cores`, `--option sandbox …`, `--keep-failed`, …) with Nix's defaults,
// and parsing of `--option NAME VALUE` for the ones that affect building.

import * as fs from "node:fs";
import * as os from "node:os";
import { BuildError } from "./errors.js";

/** A path made visible inside the sandbox: `inside` is bound from `host`. */
export interface SandboxPath {
  readonly inside: string;
  readonly host: string;
  /** `path?` in the setting: skipped when the host path does not exist. */
  readonly optional: boolean;
}

export type SandboxMode = "true" | "false" | "relaxed";

export interface BuildSettings {
  /** Builds run at once (`-j`, `max-jobs`); 0 allows none. */
  maxJobs: number;
  /** `NIX_BUILD_CORES` (`--cores`); 0 means all of them. */
  cores: number;
  sandbox: SandboxMode;
  /** `sandbox-paths` + `extra-sandbox-paths`. */
  sandboxPaths: SandboxPath[];
  keepFailed: boolean;
  keepGoing: boolean;
  /** `-L`: print build logs (prefixed by the derivation name) instead of a log tail on failure. */
  printBuildLogs: boolean;
  /** How many log lines a failure shows (`log-lines`). */
  logLines: number;
  /** The platform we build for and the extra ones we accept. */
  system: string;
  extraPlatforms: string[];
  systemFeatures: string[];
  /** Where build directories are created (`$TMPDIR`, default /tmp). */
  buildDirRoot: string;
  /** Path of bubblewrap, or null when it is not installed. */
  bwrap: string | null;
  /**
   * The stack limit (`ulimit -s` value: KiB or "unlimited") builders get: the one tix was started
   * with, before bin/tix raised it for the evaluator (as Nix restores its own for builders); null
   * when unknown (builders then inherit tix's).
   */
  builderStackLimit: string | null;
  /** `ssl-cert-file`: the CA bundle fixed-output builds see at /etc/ssl/certs/ca-certificates.crt. */
  caFile: string;
}

/** `TIX_BUILDER_STACK_LIMIT` (bytes or "unlimited", from /proc/self/limits) as a `ulimit -s` value. */
function builderStackLimit(value: string | undefined): string | null {
  if (value === "unlimited") return value;
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return String(Math.max(1, Math.floor(Number(value) / 1024)));
}

function defaultSystem(): string {
  const arch = process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch;
  return `${arch}-${process.platform}`;
}

function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    if (dir === "") continue;
    const p = `${dir}/${name}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** Nix ships a static busybox as the sandbox's /bin/sh; we use the host's, when there is one. */
function defaultSandboxPaths(): SandboxPath[] {
  for (const candidate of ["/bin/busybox", "/usr/bin/busybox"]) {
    if (fs.existsSync(candidate)) return [{ inside: "/bin/sh", host: candidate, optional: false }];
  }
  return [];
}

export function defaultBuildSettings(env: NodeJS.ProcessEnv = process.env): BuildSettings {
  return {
    maxJobs: os.availableParallelism(),
    cores: 0,
    sandbox: "true",
    sandboxPaths: defaultSandboxPaths(),
    keepFailed: false,
    keepGoing: false,
    printBuildLogs: false,
    logLines: 10,
    system: env.TIX_SYSTEM ?? defaultSystem(),
    extraPlatforms: [],
    systemFeatures: ["benchmark", "big-parallel", "nixos-test", ...(fs.existsSync("/dev/kvm") ? ["kvm"] : [])],
    buildDirRoot: env.TMPDIR ?? "/tmp",
    bwrap: findExecutable("bwrap"),
    builderStackLimit: builderStackLimit(env.TIX_BUILDER_STACK_LIMIT),
    caFile: env.NIX_SSL_CERT_FILE || env.SSL_CERT_FILE || "/etc/ssl/certs/ca-certificates.crt",
  };
}

/** `NIX_BUILD_CORES` for a setting of `cores` (0 = all). */
export function effectiveCores(s: BuildSettings): number {
  return s.cores > 0 ? s.cores : os.availableParallelism();
}

/** Parses `sandbox-paths` syntax: `inside=host` or `path`, `?` suffix for optional entries. */
export function parseSandboxPaths(value: string): SandboxPath[] {
  const out: SandboxPath[] = [];
  for (let word of value.split(/\s+/).filter((w) => w !== "")) {
    const optional = word.endsWith("?");
    if (optional) word = word.slice(0, -1);
    const eq = word.indexOf("=");
    out.push(eq < 0 ? { inside: word, host: word, optional } : { inside: word.slice(0, eq), host: word.slice(eq + 1), optional });
  }
  return out;
}

function parseBool(name: string, value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new BuildError(`option '${name}' has invalid value '${value}'`, 1);
}

function parseCount(name: string, value: string, auto?: number): number {
  if (value === "auto" && auto !== undefined) return auto;
  if (!/^\d+$/.test(value)) throw new BuildError(`option '${name}' has invalid value '${value}'`, 1);
  return Number(value);
}

/** Applies `--option NAME VALUE`; returns false for options that do not concern building. */
export function applyBuildOption(s: BuildSettings, name: string, value: string): boolean {
  switch (name) {
    case "max-jobs":
      s.maxJobs = parseCount(name, value, os.availableParallelism());
      return true;
    case "cores":
      s.cores = parseCount(name, value);
      return true;
    case "sandbox":
      if (value !== "true" && value !== "false" && value !== "relaxed") throw new BuildError(`option 'sandbox' has invalid value '${value}'`, 1);
      s.sandbox = value;
      return true;
    case "sandbox-paths":
      s.sandboxPaths = parseSandboxPaths(value);
      return true;
    case "extra-sandbox-paths":
      s.sandboxPaths = [...s.sandboxPaths, ...parseSandboxPaths(value)];
      return true;
    case "keep-failed":
      s.keepFailed = parseBool(name, value);
      return true;
    case "keep-going":
      s.keepGoing = parseBool(name, value);
      return true;
    case "print-build-logs":
      s.printBuildLogs = parseBool(name, value);
      return true;
    case "log-lines":
      s.logLines = parseCount(name, value);
      return true;
    case "system":
      s.system = value;
      return true;
    case "ssl-cert-file":
      s.caFile = value;
      return true;
    case "extra-platforms":
      s.extraPlatforms = value.split(/\s+/).filter((w) => w !== "");
      return true;
    case "system-features":
      s.systemFeatures = value.split(/\s+/).filter((w) => w !== "");
      return true;
    default:
      return false;
  }
}
