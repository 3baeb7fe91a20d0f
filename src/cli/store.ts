// `tix store …` (add-path, add-file, path-info, verify, gc, delete, ls, cat, dump-path, restore)
// and the `tix path-info` alias: the local store from the command line, like `nix store`.

import * as fs from "node:fs";
import * as path from "node:path";
import {
  collectGarbage,
  deletePaths,
  hashToSri,
  openLocalStore,
  NarRestorer,
  readFdChunks,
  splitStorePath,
  StoreError,
  deleteTree,
  type LocalStore,
  type ValidPathInfo,
} from "../store/index.js";
import { UsageError } from "./usage.js";
import { NIX_STYLE, walkArgs } from "./args.js";
import { argBytes, writeErr, writeOut } from "./output.js";
import { printfFixed } from "./printf-fixed.js";
import { stdoutIsTerminal } from "./terminal.js";

/** Parsed flags: boolean flags, flags with a value, and positional arguments. */
export interface ParsedArgs {
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  readonly positional: string[];
}

/**
 * Parses `args` given the flags that take a value (`valued`) and the boolean ones (`bool`); short
 * aliases map to long names through `aliases`. Bundled short flags (`-sS`) are split.
 */
export function parseArgs(
  args: readonly string[],
  spec: { bool?: readonly string[]; valued?: readonly string[]; aliases?: Readonly<Record<string, string>> },
): ParsedArgs {
  const bool = new Set(spec.bool ?? []);
  const valued = new Set([...(spec.valued ?? []), "--store"]);
  const aliases = spec.aliases ?? {};
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const positional: string[] = [];
  const expanded: string[] = [];
  for (const a of args) {
    if (/^-[A-Za-z]{2,}$/.test(a)) for (const c of a.slice(1)) expanded.push(`-${c}`);
    else expanded.push(a);
  }
  walkArgs(expanded, NIX_STYLE, (arg, at) => {
    if (arg === "--") {
      positional.push(...at.rest());
      return;
    }
    const a = aliases[arg] ?? arg;
    if (valued.has(a)) {
      const v = at.optionalValue();
      if (v === undefined) throw new UsageError(`flag '${a}' requires an argument`);
      values.set(a, v);
    } else if (bool.has(a)) {
      flags.add(a);
    } else if (a.startsWith("-") && a !== "-") {
      throw new UsageError(`unrecognised flag '${a}'`);
    } else {
      positional.push(a);
    }
  });
  return { flags, values, positional };
}

/** The store root selected by `--store` (a directory, or `local?root=DIR`); "/" by default. */
export function storeRootFromArgs(values: ReadonlyMap<string, string>): string {
  const s = values.get("--store");
  if (s === undefined || s === "auto" || s === "local" || s === "daemon") return "/";
  const m = /^local\?root=(.*)$/.exec(s);
  if (m !== null) return path.resolve(decodeURIComponent(m[1]!));
  if (s.includes("://")) throw new UsageError(`store '${s}' is not supported; use a directory (a chroot store)`);
  return path.resolve(s);
}

function withStore<T>(values: ReadonlyMap<string, string>, fn: (store: LocalStore) => T): T {
  const store = openLocalStore(storeRootFromArgs(values));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

const STORE_HELP = `Usage: tix store COMMAND [ARGS...] [--store DIR]

Commands:
  add-path PATH [--name N] [--mode nar|flat]   add a file or directory to the store
  add-file PATH [--name N]                     add a regular file by its contents (flat)
  path-info [--json] [-r] [-s] [-S] [-h] [--sigs] [--all] PATHS
                                               show information about store paths
  verify [--check-contents] [-r] [PATHS]       check store paths (all when none given)
  gc [--dry-run] [--max BYTES]                 delete unreachable store paths
  delete [--ignore-liveness] PATHS             delete specific store paths
  ls [-l] [-R] [--json] PATH                   list a store path's contents
  cat PATH                                     print a file in the store
  dump-path PATH                               write a store path's NAR to stdout
  restore PATH                                 unpack a NAR from stdin to PATH (outside the store)
  restore --name NAME                          add a NAR from stdin to the store (content-addressed)

Options:
  --store DIR   use the chroot store rooted at DIR (default: the real /nix)
`;

export function runStore(argv: readonly string[]): number {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
    case "--help":
      writeOut(STORE_HELP);
      return 0;
    case "add-path":
      return addPathCmd(rest, "nar");
    case "add-file":
      return addPathCmd(rest, "flat");
    case "path-info":
      return runPathInfo(rest);
    case "verify":
      return verifyCmd(rest);
    case "gc":
      return gcCmd(rest);
    case "delete":
      return deleteCmd(rest);
    case "ls":
      return lsCmd(rest);
    case "cat":
      return catCmd(rest);
    case "dump-path":
      return dumpPathCmd(rest);
    case "restore":
      return restoreCmd(rest);
    default:
      throw new UsageError(`'${sub}' is not a recognised 'store' command`);
  }
}

// ---------------------------------------------------------------------------------------------

function addPathCmd(args: readonly string[], defaultMode: "nar" | "flat"): number {
  const a = parseArgs(args, { valued: ["--name", "--mode"], aliases: { "-n": "--name" } });
  if (a.positional.length !== 1) throw new UsageError("expected exactly one path to add");
  const mode = a.values.get("--mode") ?? defaultMode;
  if (mode !== "nar" && mode !== "flat") throw new UsageError(`unknown ingestion mode '${mode}', expected 'nar' or 'flat'`);
  const src = a.positional[0]!;
  // Names are byte strings like everything the store hashes: "ü" is the two bytes of its UTF-8.
  const name = argBytes(a.values.get("--name") ?? path.basename(path.resolve(src)));
  return withStore(a.values, (store) => {
    const sp = store.addPath(argBytes(src), name, { recursive: mode === "nar" });
    writeOut(`${sp}\n`);
    return 0;
  });
}

/** The modern `nix path-info --json` object for one path (keys in byte order, as Nix's JSON has them). */
function pathInfoJson(info: ValidPathInfo, closureSize?: number): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ca: info.ca,
    ...(closureSize === undefined ? {} : { closureSize }),
    deriver: info.deriver,
    narHash: hashToSri(info.narHash),
    narSize: info.narSize,
    references: info.references,
    registrationTime: info.registrationTime,
    signatures: info.sigs,
    ultimate: info.ultimate,
  };
  return o;
}

/** `tix path-info` / `tix store path-info`. */
export function runPathInfo(args: readonly string[]): number {
  const a = parseArgs(args, {
    bool: ["--json", "--recursive", "--size", "--closure-size", "--all", "--human-readable", "--sigs"],
    aliases: { "-r": "--recursive", "-s": "--size", "-S": "--closure-size", "-h": "--human-readable" },
  });
  return withStore(a.values, (store) => {
    let paths: string[];
    if (a.flags.has("--all")) paths = store.queryAllValidPaths();
    else {
      if (a.positional.length === 0) throw new UsageError("expected store paths (or --all)");
      paths = a.positional.map((p) => store.resolveStorePath(p));
    }
    const json = a.flags.has("--json");
    for (const p of paths) {
      if (!store.isValid(p) && !json) throw new StoreError(`path '${p}' is not valid`);
    }
    const valid = paths.filter((p) => store.isValid(p));
    if (a.flags.has("--recursive")) paths = [...new Set([...store.closure(valid), ...paths])].sort();
    else paths = [...new Set(paths)].sort();
    const closureSize = (p: string): number =>
      store.closure([p]).reduce((n, q) => n + (store.queryPathInfo(q)?.narSize ?? 0), 0);
    if (json) {
      const out: Record<string, unknown> = {};
      for (const p of paths) {
        const info = store.queryPathInfo(p);
        out[p] = info === null ? null : pathInfoJson(info, a.flags.has("--closure-size") ? closureSize(p) : undefined);
      }
      writeOut(JSON.stringify(out) + "\n");
      return 0;
    }
    const showSigs = a.flags.has("--sigs");
    const showSizes = a.flags.has("--size") || a.flags.has("--closure-size");
    const width = showSizes || showSigs ? Math.max(...paths.map((p) => p.length)) : 0;
    const human = a.flags.has("--human-readable");
    const fmt = (n: number): string => (human ? humanSize(n) : `${n}`.padStart(11));
    for (const p of paths) {
      let line = showSizes || showSigs ? p.padEnd(width) : p;
      if (a.flags.has("--size")) line += `\t${fmt(store.requirePathInfo(p).narSize)}`;
      if (a.flags.has("--closure-size")) line += `\t${fmt(closureSize(p))}`;
      if (showSigs) line += `\t${signatureColumn(store.requirePathInfo(p))}`;
      writeOut(line + "\n");
    }
    return 0;
  });
}

/** The `--sigs` column: "ultimate" for locally built paths, the content address, signatures. */
function signatureColumn(info: ValidPathInfo): string {
  const items: string[] = [];
  if (info.ultimate) items.push("ultimate");
  if (info.ca !== null) items.push(`ca:${info.ca}`);
  items.push(...info.sigs);
  return items.join(" ");
}

/** Nix's `-h` size column: `%6.1f` and a unit letter, a space for bytes (`1024.0 `, `   1.1K`). */
function humanSize(n: number): string {
  const units = " KMGTPEZY";
  let v = n;
  let u = 0;
  while (v > 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${printfFixed(v, 1).padStart(6)}${units[u]}`;
}

function verifyCmd(args: readonly string[]): number {
  const a = parseArgs(args, {
    bool: ["--check-contents", "--all", "--recursive", "--no-trust", "--no-contents"],
    aliases: { "-r": "--recursive" },
  });
  return withStore(a.values, (store) => {
    let paths: string[] | undefined;
    if (a.positional.length > 0 && !a.flags.has("--all")) {
      paths = a.positional.map((p) => store.resolveStorePath(p));
      if (a.flags.has("--recursive")) paths = store.closure(paths);
    }
    // Like `nix store verify`, named paths and --all have their contents checked and are only
    // reported on; a bare `tix store verify` checks the database like `nix-store --verify`, which
    // also unregisters paths that disappeared.
    const nixStoreVerify = paths !== undefined || a.flags.has("--all");
    const result = store.verify({
      readOnly: nixStoreVerify,
      checkContents:
        a.flags.has("--check-contents") || (nixStoreVerify && !a.flags.has("--no-contents")),
      paths,
      log: (line) => writeErr(`${line}\n`),
    });
    for (const e of result.errors) writeErr(`error: ${e}\n`);
    if (result.errors.length > 0) {
      writeErr(`${result.errors.length} problem${result.errors.length === 1 ? "" : "s"} found in ${result.checked} paths\n`);
      return 1;
    }
    return 0;
  });
}

function summary(count: number, bytes: number, dryRun: boolean): string {
  const mib = printfFixed(bytes / (1024 * 1024), 2);
  return dryRun
    ? `${count} store paths would be deleted\n`
    : `${count} store paths deleted, ${mib} MiB freed\n`;
}

function gcCmd(args: readonly string[]): number {
  const a = parseArgs(args, { bool: ["--dry-run"], valued: ["--max"] });
  if (a.positional.length > 0) throw new UsageError("'tix store gc' takes no arguments");
  const dryRun = a.flags.has("--dry-run");
  let maxFreed: number | undefined;
  const max = a.values.get("--max");
  if (max !== undefined) {
    maxFreed = parseSize(max);
  }
  return withStore(a.values, (store) => {
    const r = collectGarbage(store, {
      dryRun,
      maxFreed,
      log: (line) => (dryRun ? writeOut(`${line}\n`) : writeErr(`${line}\n`)),
    });
    writeOut(summary(r.deleted.length, r.bytesFreed, dryRun));
    return 0;
  });
}

function parseSize(s: string): number {
  const m = /^(\d+)([KMGT]?)$/.exec(s);
  if (m === null) throw new UsageError(`invalid size '${s}'`);
  const mult = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2] as "" | "K" | "M" | "G" | "T"];
  return Number(m[1]) * mult;
}

function deleteCmd(args: readonly string[]): number {
  const a = parseArgs(args, { bool: ["--ignore-liveness"] });
  if (a.positional.length === 0) throw new UsageError("expected store paths to delete");
  return withStore(a.values, (store) => {
    const paths = a.positional.map((p) => store.resolveStorePath(p));
    const r = deletePaths(store, paths, {
      ignoreLiveness: a.flags.has("--ignore-liveness"),
      log: (line) => writeErr(`${line}\n`),
    });
    writeOut(summary(r.deleted.length, r.bytesFreed, false));
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading store contents

/** Resolves a path inside the store to its physical location, checking its store path is valid. */
function physicalInside(store: LocalStore, arg: string): { logical: string; physical: string } {
  let logical = path.resolve(arg);
  if (!logical.startsWith(store.storeDir + "/")) {
    // A symlink such as ./result leading into the store.
    const sp = store.resolveStorePath(arg);
    logical = sp;
  }
  let storePath: string;
  try {
    storePath = splitStorePath(logical, store.storeDir).storePath;
  } catch (e) {
    throw new StoreError((e as Error).message);
  }
  if (!store.isValid(storePath)) throw new StoreError(`path '${storePath}' is not a valid store path`);
  return { logical, physical: store.toPhysical(logical) };
}

type LsNode =
  | { type: "regular"; size: number; executable: boolean }
  | { type: "symlink"; target: string }
  | { type: "directory"; entries: Map<string, LsNode> | null };

/**
 * `p` (physical) as an ls tree, names and link targets as byte strings (file names need not be
 * UTF-8); `shown` is its /nix/store name (a byte string) for messages.
 */
function lsNode(p: Buffer, shown: string, recursive: boolean, depth: number): LsNode {
  const st = lstatOrThrow(p, shown);
  if (st.isSymbolicLink()) return { type: "symlink", target: fs.readlinkSync(p, { encoding: "buffer" }).toString("latin1") };
  if (st.isFile()) return { type: "regular", size: st.size, executable: (st.mode & 0o100) !== 0 };
  if (st.isDirectory()) {
    if (!recursive && depth > 0) return { type: "directory", entries: null };
    const names = fs.readdirSync(p, { encoding: "buffer" }).sort(Buffer.compare);
    const entries = new Map<string, LsNode>();
    for (const n of names) {
      const name = n.toString("latin1");
      entries.set(name, lsNode(Buffer.concat([p, SLASH, n]), `${shown}/${name}`, recursive, depth + 1));
    }
    return { type: "directory", entries };
  }
  throw new StoreError(`file '${shown}' has an unsupported type`);
}

const SLASH = Buffer.from("/");

function lstatOrThrow(p: Buffer | string, shown: string): fs.Stats {
  try {
    return fs.lstatSync(p);
  } catch {
    throw new StoreError(`path '${shown}' does not exist`);
  }
}

function lsJson(n: LsNode, recursive: boolean): unknown {
  switch (n.type) {
    case "regular":
      return n.executable ? { type: "regular", size: n.size, executable: true } : { type: "regular", size: n.size };
    case "symlink":
      return { type: "symlink", target: n.target };
    case "directory": {
      if (n.entries === null) return { type: "directory" };
      // Without --recursive, Nix lists the top directory's entries as empty objects.
      const entries: Record<string, unknown> = {};
      for (const [k, v] of n.entries) entries[k] = recursive ? lsJson(v, true) : {};
      return { type: "directory", entries };
    }
  }
}

function lsCmd(args: readonly string[]): number {
  const a = parseArgs(args, {
    bool: ["--long", "--recursive", "--json", "--directory"],
    aliases: { "-l": "--long", "-R": "--recursive", "-d": "--directory" },
  });
  if (a.positional.length !== 1) throw new UsageError("expected exactly one path");
  if (a.flags.has("--directory") && a.flags.has("--json")) throw new UsageError("'--directory' is useless with '--json'");
  return withStore(a.values, (store) => {
    const { logical, physical } = physicalInside(store, a.positional[0]!);
    const recursive = a.flags.has("--recursive");
    const root = lsNode(Buffer.from(physical), argBytes(logical), recursive, a.flags.has("--directory") ? 1 : 0);
    if (a.flags.has("--json")) {
      writeOut(JSON.stringify(lsJson(root, recursive)) + "\n");
      return 0;
    }
    const long = a.flags.has("--long");
    const line = (n: LsNode, rel: string): string => {
      if (!long) return rel;
      const mode = n.type === "directory" ? "dr-xr-xr-x" : n.type === "symlink" ? "lrwxrwxrwx" : n.executable ? "-r-xr-xr-x" : "-r--r--r--";
      const size = n.type === "regular" ? n.size : 0;
      return `${mode} ${String(size).padStart(20)} ${rel}${n.type === "symlink" ? ` -> ${n.target}` : ""}`;
    };
    const walk = (n: LsNode, rel: string, top: boolean): void => {
      if (n.type === "directory" && n.entries !== null && (top || recursive)) {
        if (!top) writeOut(line(n, rel) + "\n");
        for (const [name, child] of n.entries) walk(child, `${rel}/${name}`, false);
      } else {
        writeOut(line(n, rel) + "\n");
      }
    };
    // A directory is shown as "." (also with --directory), anything else by its base name.
    if (root.type === "directory" && root.entries !== null) walk(root, ".", true);
    else writeOut(line(root, root.type === "directory" ? "." : argBytes(path.basename(logical))) + "\n");
    return 0;
  });
}

function catCmd(args: readonly string[]): number {
  const a = parseArgs(args, {});
  if (a.positional.length !== 1) throw new UsageError("expected exactly one path");
  return withStore(a.values, (store) => {
    const { logical, physical } = physicalInside(store, a.positional[0]!);
    const st = lstatOrThrow(physical, argBytes(logical));
    if (!st.isFile()) throw new StoreError(`path '${argBytes(logical)}' is not a regular file`);
    process.stdout.write(fs.readFileSync(physical));
    return 0;
  });
}

function dumpPathCmd(args: readonly string[]): number {
  const a = parseArgs(args, {});
  if (a.positional.length !== 1) throw new UsageError("expected exactly one path");
  // Like modern Nix: a NAR is binary, so it goes to a file or a pipe, never to the screen.
  if (stdoutIsTerminal()) throw new UsageError("refusing to write NAR to a terminal");
  return withStore(a.values, (store) => {
    const sp = store.resolveStorePath(a.positional[0]!);
    store.dumpPath(sp, (chunk) => {
      process.stdout.write(chunk);
    });
    return 0;
  });
}

function restoreCmd(args: readonly string[]): number {
  const a = parseArgs(args, { valued: ["--name"] });
  const name = a.values.get("--name");
  if (name !== undefined) {
    if (a.positional.length > 0) throw new UsageError("'restore --name' reads the NAR from stdin and takes no path");
    return withStore(a.values, (store) => {
      const info = store.addNarToStore({ fd: 0 }, { name: argBytes(name) });
      writeOut(`${info.path}\n`);
      return 0;
    });
  }
  if (a.positional.length !== 1) throw new UsageError("expected the path to restore to (or --name NAME to add to the store)");
  const dest = path.resolve(a.positional[0]!);
  if (fs.existsSync(dest)) throw new StoreError(`path '${argBytes(dest)}' already exists`);
  const restorer = new NarRestorer(dest);
  try {
    readFdChunks(0, (c) => restorer.push(c));
    restorer.end();
  } catch (e) {
    deleteTree(dest);
    throw e;
  }
  return 0;
}
