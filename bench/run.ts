// Side-by-side benchmarks of tix against real Nix, reported as ratios.
//
// Every workload runs through tix and through the matching Nix (or coreutils) command in the same
// run, interleaved, N repetitions each. Reports the median wall time, CPU time and peak RSS (the
// last two via `/usr/bin/time` when it is installed) and whether both sides printed the same
// stdout. This is a report, not a test: nothing here asserts on timings.
//
//   npm run bench -- [--reps N] [--warmup N] [--only NAME[,NAME...]] [--small] [--markdown]
//                    [--timeout SECONDS] [--keep] [--tix PATH]
import { CONTAINER_WORKLOADS, containerReport, runContainerBench } from "./container.js";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { flakeWorkloads } from "./flake.js";
import { parseWorkloads } from "./parse.js";

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  reps: number;
  warmup: number;
  only: string[];
  small: boolean;
  markdown: boolean;
  timeoutSec: number;
  keep: boolean;
  tix: string;
}

const USAGE = `Usage: npm run bench -- [options]

Options:
  --reps N          timed repetitions per side (default 3); the median is reported
  --warmup N        untimed runs per side before timing (default 1)
  --only NAMES      run only workloads whose name contains one of NAMES (comma-separated)
  --small           store workloads use a 20 MB / 2,000-file tree instead of 200 MB / 20,000
  --markdown        also print the results as a Markdown table
  --timeout S       give up on a single run after S seconds (default 900)
  --keep            keep the temporary directory (generated tree, stores)
  --tix PATH        the tix executable to measure (default: this checkout's bin/tix)
  --help            show this help
`;

function parseOptions(argv: string[]): Options {
  const o: Options = { reps: 3, warmup: 1, only: [], small: false, markdown: false, timeoutSec: 900, keep: false, tix: defaultTixBin };
  const int = (flag: string, s: string | undefined, min: number): number => {
    const n = Number(s);
    if (s === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--reps": o.reps = int(a, argv[++i], 1); break;
      case "--warmup": o.warmup = int(a, argv[++i], 0); break;
      case "--only": {
        const v = argv[++i];
        if (v === undefined) throw new Error("--only needs a workload name");
        o.only.push(...v.split(",").map((s) => s.trim()).filter((s) => s !== ""));
        break;
      }
      case "--small": o.small = true; break;
      case "--markdown": o.markdown = true; break;
      case "--timeout": o.timeoutSec = int(a, argv[++i], 1); break;
      case "--keep": o.keep = true; break;
      case "--tix": {
        const v = argv[++i];
        if (v === undefined) throw new Error("--tix needs a path");
        o.tix = path.resolve(v);
        break;
      }
      case "--help": case "-h": process.stdout.write(USAGE); return process.exit(0);
      default: throw new Error(`unrecognised argument '${a}'\n\n${USAGE}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Paths and environment

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled to dist/bench/run.js; the sources (and the .nix workloads) live in <repo>/bench.
const repoRoot = path.resolve(here, "..", "..");
const evalDir = path.join(repoRoot, "bench", "eval");
const defaultTixBin = path.join(repoRoot, "bin", "tix");
let tixBin = defaultTixBin;
const timeBin = "/usr/bin/time";
// coreutils timeout kills the measured command itself (spawnSync's timeout would only kill the
// /usr/bin/time wrapper and leave the command running).
const timeoutBin = "/usr/bin/timeout";

// Keep real Nix away from the user's configuration, channels and substituters.
const nixEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NIX_PATH: "",
  NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =",
};

let workRoot = "";

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(workRoot, prefix));
}

/** Removes a tree, making read-only directories (as in a Nix store) writable first if needed. */
function removeTree(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
    return;
  } catch {
    // fall through: fix permissions and retry
  }
  const makeWritable = (q: string): void => {
    let st: fs.Stats;
    try { st = fs.lstatSync(q); } catch { return; }
    if (!st.isDirectory()) return;
    try { fs.chmodSync(q, 0o755); } catch { /* ignore */ }
    for (const e of fs.readdirSync(q)) makeWritable(path.join(q, e));
  };
  makeWritable(p);
  fs.rmSync(p, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Running one command

export interface Cmd {
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Called after the run (untimed), e.g. to delete a fresh store. */
  cleanup?: () => void;
}

interface RunResult {
  ok: boolean;
  seconds: number;
  rssKB: number | null;
  /** User + system CPU seconds (from /usr/bin/time), less sensitive to a busy machine. */
  cpuSeconds: number | null;
  stdout: Buffer;
  /** Why the run failed (exit status, signal, timeout) plus the start of stderr. */
  failure: string;
}

let haveTime = false;
let haveTimeout = false;

function runOnce(cmd: Cmd, timeoutSec: number): RunResult {
  let argv = cmd.argv;
  if (haveTimeout) argv = [timeoutBin, "--kill-after=10", String(timeoutSec), ...argv];
  let rssFile: string | null = null;
  if (haveTime) {
    rssFile = path.join(workRoot, "rss.txt");
    fs.rmSync(rssFile, { force: true });
    argv = [timeBin, "-f", "%M %U %S", "-o", rssFile, ...argv];
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    env: cmd.env ?? process.env,
    maxBuffer: 1 << 30,
    timeout: (timeoutSec + 30) * 1000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssKB: number | null = null;
  let cpuSeconds: number | null = null;
  if (rssFile !== null) {
    try {
      // A killed command gets a "Command terminated by signal" line first; the numbers come last.
      const lines = fs.readFileSync(rssFile, "utf8").trim().split("\n");
      const [m, u, s] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
      if (Number.isFinite(m) && m > 0) rssKB = m;
      if (Number.isFinite(u) && Number.isFinite(s)) cpuSeconds = u + s;
    } catch { /* no report */ }
  }
  cmd.cleanup?.();
  const stdout = r.stdout ?? Buffer.alloc(0);
  const stderr = (r.stderr ?? Buffer.alloc(0)).toString("utf8");
  let failure = "";
  if (r.error) failure = (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT" ? `timed out after ${timeoutSec} s` : r.error.message;
  else if (r.signal) failure = `killed by ${r.signal}`;
  else if (haveTimeout && (r.status === 124 || r.status === 137)) failure = `timed out after ${timeoutSec} s`;
  else if (r.status !== 0) failure = `exit status ${r.status}`;
  if (failure !== "") {
    const firstLines = stderr.split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" | ");
    if (firstLines) failure += `: ${firstLines.length > 300 ? firstLines.slice(0, 300) + "…" : firstLines}`;
  }
  return { ok: failure === "", seconds, rssKB, cpuSeconds, stdout, failure };
}

// ---------------------------------------------------------------------------------------------
// Workloads

export interface Workload {
  name: string;
  group: "eval" | "store" | "flake";
  /** Label of the reference side: "nix" or a raw tool. */
  baseLabel: string;
  /** Whether both sides are expected to print the same stdout. */
  compare: boolean;
  base: () => Cmd;
  tix: () => Cmd;
  /** Reuse the tix measurements of another workload instead of running tix again. */
  tixFrom?: string;
  /** Maps stdout before comparing (e.g. to drop colour codes only one side prints). */
  normalise?: (out: Buffer) => Buffer;
}

function evalWorkload(name: string, file: string): Workload {
  const nixStore = (): string => tempDir("nix-eval-store-");
  const tixStore = (): string => tempDir("tix-eval-store-");
  const abs = path.join(evalDir, file);
  return {
    name,
    group: "eval",
    baseLabel: "nix",
    compare: true,
    base: () => {
      const s = nixStore();
      return { argv: ["nix-instantiate", "--store", s, "--eval", "--strict", abs], env: nixEnv, cleanup: () => removeTree(s) };
    },
    tix: () => {
      const s = tixStore();
      return { argv: [tixBin, "instantiate", "--store", s, "--eval", "--strict", abs], env: nixEnv, cleanup: () => removeTree(s) };
    },
  };
}

const evalWorkloads: Workload[] = [
  evalWorkload("startup", "startup.nix"),
  evalWorkload("fib", "fib.nix"),
  evalWorkload("foldl", "foldl.nix"),
  evalWorkload("attrs", "attrs.nix"),
  evalWorkload("strings", "strings.nix"),
  evalWorkload("deep", "deep.nix"),
  evalWorkload("modules", "modules.nix"),
];

// ---------------------------------------------------------------------------------------------
// The generated tree for the store workloads

interface Tree {
  dir: string;
  /** The same bytes as all regular files of the tree, concatenated (for raw sha256sum). */
  concat: string;
  files: number;
  symlinks: number;
  bytes: number;
}

/** Deterministic pseudo-random bytes (xorshift32), so the tree and its hashes are reproducible. */
function pseudoRandomBlock(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    b.writeUInt32LE(x, i);
  }
  return b;
}

/**
 * Writes `files` regular files totalling `bytes` bytes into 20 × 10 directories, with sizes
 * spread from a few bytes to ~4× the mean, every 97th file executable, and one relative symlink
 * per leaf directory.
 */
function generateTree(root: string, files: number, bytes: number): Tree {
  const dir = path.join(root, "tree");
  const concat = path.join(root, "tree-concat.bin");
  fs.mkdirSync(dir);
  // Sizes: cubic weights give many small files and a few big ones, scaled to the exact total.
  const weights: number[] = [];
  let rng = 0x9e3779b9;
  const next = (): number => {
    rng ^= rng << 13; rng >>>= 0; rng ^= rng >>> 17; rng ^= rng << 5; rng >>>= 0;
    return rng / 0x100000000;
  };
  for (let i = 0; i < files; i++) {
    const r = 0.05 + next();
    weights.push(r * r * r);
  }
  const wsum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((bytes * w) / wsum));
  sizes[files - 1] += bytes - sizes.reduce((a, b) => a + b, 0);
  const maxSize = Math.max(...sizes);
  const block = pseudoRandomBlock(maxSize + 65536, 12345);
  const leaves = 200;
  const perLeaf = Math.ceil(files / leaves);
  const out = fs.openSync(concat, "w");
  let symlinks = 0;
  try {
    for (let i = 0; i < files; i++) {
      const leaf = Math.floor(i / perLeaf);
      const leafDir = path.join(dir, `d${String(Math.floor(leaf / 10)).padStart(2, "0")}`, `s${leaf % 10}`);
      if (i % perLeaf === 0) fs.mkdirSync(leafDir, { recursive: true });
      // Each file: a distinct header plus a slice of the shared block at a file-specific offset.
      const header = Buffer.from(`file ${i}\n`);
      const size = sizes[i];
      const off = (i * 7919) % 65536;
      const body = Buffer.concat([header, block.subarray(off, off + size)]).subarray(0, size);
      const name = path.join(leafDir, `f${String(i).padStart(6, "0")}.dat`);
      fs.writeFileSync(name, body, { mode: i % 97 === 0 ? 0o755 : 0o644 });
      fs.writeSync(out, body);
      if (i % perLeaf === 0) {
        fs.symlinkSync(path.basename(name), path.join(leafDir, "link-to-first"));
        symlinks++;
      }
    }
  } finally {
    fs.closeSync(out);
  }
  return { dir, concat, files, symlinks, bytes };
}

function storeWorkloads(getTree: () => Tree): Workload[] {
  const graph = path.join(evalDir, "..", "build", "graph.nix");
  return [
    {
      // Realising a graph of 1,001 tiny derivations in an empty store, two builds at a time.
      name: "build-graph",
      group: "store",
      baseLabel: "nix",
      compare: true,
      base: () => {
        const s = tempDir("nix-build-store-");
        const argv = ["nix-build", "--store", s, "--no-out-link", "-j", "2", "--option", "extra-sandbox-paths", "/bin/sh=/bin/busybox", graph];
        return { argv, env: nixEnv, cleanup: () => removeTree(s) };
      },
      tix: () => {
        const s = tempDir("tix-build-store-");
        return { argv: [tixBin, "build", "--store", s, "--no-link", "--print-out-paths", "-j", "2", "-f", graph], env: nixEnv, cleanup: () => removeTree(s) };
      },
    },
    {
      name: "nar-hash",
      group: "store",
      baseLabel: "nix",
      compare: true,
      base: () => {
        const s = tempDir("nix-hash-store-");
        return {
          argv: ["nix-hash", "--store", s, "--type", "sha256", "--base32", getTree().dir],
          env: nixEnv,
          cleanup: () => removeTree(s),
        };
      },
      tix: () => ({ argv: [tixBin, "hash", "path", "--type", "sha256", "--base32", getTree().dir], env: nixEnv }),
    },
    {
      name: "nar-hash-vs-raw",
      group: "store",
      baseLabel: "sha256sum",
      compare: false,
      base: () => ({ argv: ["sha256sum", getTree().concat] }),
      tix: () => ({ argv: [] }),
      tixFrom: "nar-hash",
    },
    {
      name: "add-path",
      group: "store",
      baseLabel: "nix",
      compare: true,
      // A fresh, empty store for every run, so each run really copies the tree.
      base: () => {
        const s = tempDir("nix-add-store-");
        return { argv: ["nix-store", "--store", s, "--add", getTree().dir], env: nixEnv, cleanup: () => removeTree(s) };
      },
      tix: () => {
        const s = tempDir("tix-add-store-");
        return { argv: [tixBin, "store", "add-path", "--store", s, getTree().dir], env: nixEnv, cleanup: () => removeTree(s) };
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Side {
  label: string;
  times: number[];
  cpu: number[];
  rss: number[];
  /** Set when the side could not be measured (command missing or failing). */
  failure: string | null;
  outputs: Buffer[];
}

interface Result {
  w: Workload;
  base: Side;
  tix: Side;
  /** null when not compared; otherwise whether every output of both sides was identical. */
  match: boolean | null;
  mismatchDetail: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function newSide(label: string): Side {
  return { label, times: [], cpu: [], rss: [], failure: null, outputs: [] };
}

function measureRun(side: Side, make: () => Cmd, timed: boolean, timeoutSec: number): void {
  if (side.failure !== null) return;
  const r = runOnce(make(), timeoutSec);
  if (!r.ok) {
    side.failure = r.failure;
    return;
  }
  side.outputs.push(r.stdout);
  if (timed) {
    side.times.push(r.seconds);
    if (r.rssKB !== null) side.rss.push(r.rssKB);
    if (r.cpuSeconds !== null) side.cpu.push(r.cpuSeconds);
  }
}

function describeMismatch(a: Buffer, b: Buffer, aLabel: string, bLabel: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  const show = (buf: Buffer): string => JSON.stringify(buf.subarray(from, i + 80).toString("utf8"));
  return `first difference at byte ${i} (lengths ${a.length} vs ${b.length})\n` +
    `      ${aLabel}: …${show(a)}\n      ${bLabel}: …${show(b)}`;
}

function measure(w: Workload, o: Options, done: Map<string, Result>): Result {
  const base = newSide(w.baseLabel);
  let tix = newSide("tix");
  const shared = w.tixFrom !== undefined ? done.get(w.tixFrom) : undefined;
  if (w.tixFrom !== undefined) {
    if (shared) tix = shared.tix;
    else tix.failure = `needs workload '${w.tixFrom}'`;
  }
  const runTix = w.tixFrom === undefined;
  for (let i = 0; i < o.warmup; i++) {
    measureRun(base, w.base, false, o.timeoutSec);
    if (runTix) measureRun(tix, w.tix, false, o.timeoutSec);
  }
  for (let i = 0; i < o.reps; i++) {
    // Interleave the two sides so drift (thermal, cache, noisy neighbours) hits both alike.
    measureRun(base, w.base, true, o.timeoutSec);
    if (runTix) measureRun(tix, w.tix, true, o.timeoutSec);
    process.stderr.write(".");
  }
  let match: boolean | null = null;
  let mismatchDetail = "";
  if (w.compare && base.failure === null && tix.failure === null && base.outputs.length && tix.outputs.length) {
    match = true;
    const norm = w.normalise ?? ((b: Buffer): Buffer => b);
    const ref = norm(base.outputs[0]);
    for (const [label, side] of [[base.label, base], ["tix", tix]] as const) {
      for (const out of side.outputs.map(norm)) {
        if (!out.equals(ref)) {
          match = false;
          mismatchDetail ||= describeMismatch(ref, out, base.label, label);
        }
      }
    }
  }
  return { w, base, tix, match, mismatchDetail };
}

// ---------------------------------------------------------------------------------------------
// Reporting

const measurable = (s: Side, xs: number[]): boolean => s.failure === null && xs.length > 0;
const fmtSeconds = (s: Side, xs: number[]): string => (measurable(s, xs) ? `${median(xs).toFixed(3)} s` : "—");
const fmtRss = (s: Side): string => (measurable(s, s.rss) ? `${(median(s.rss) / 1024).toFixed(1)} MB` : "—");

function ratio(r: Result, pick: (s: Side) => number[]): string {
  const b = pick(r.base);
  const t = pick(r.tix);
  if (!measurable(r.base, b) || !measurable(r.tix, t) || median(b) <= 0) return "—";
  return `${(median(t) / median(b)).toFixed(2)}×`;
}

function outputCell(r: Result): string {
  if (r.base.failure !== null) return `${r.base.label} FAILED`;
  if (r.tix.failure !== null) return r.w.group === "store" ? "tix: skipped" : "TIX FAILED";
  if (r.match === null) return "n/a";
  return r.match ? "same" : "!!! MISMATCH !!!";
}

/** Columns right-aligned in the text table and in Markdown. */
const numericColumns = new Set([2, 3, 4, 5, 6, 7, 8, 9]);

function rows(results: Result[]): string[][] {
  const header = [
    "workload", "vs", "base wall", "tix wall", "tix/base", "base CPU", "tix CPU", "tix/base CPU", "base RSS", "tix RSS", "output",
  ];
  const body = results.map((r) => [
    r.w.name,
    r.base.label,
    fmtSeconds(r.base, r.base.times),
    fmtSeconds(r.tix, r.tix.times),
    ratio(r, (s) => s.times),
    fmtSeconds(r.base, r.base.cpu),
    fmtSeconds(r.tix, r.tix.cpu),
    ratio(r, (s) => s.cpu),
    fmtRss(r.base),
    fmtRss(r.tix),
    outputCell(r),
  ]);
  return [header, ...body];
}

function textTable(table: string[][]): string {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => [...row[c]].length)));
  const line = (row: string[]): string =>
    row.map((cell, c) => (numericColumns.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  return [line(table[0]), widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(line)].join("\n");
}

function markdownTable(table: string[][]): string {
  const line = (row: string[]): string => `| ${row.join(" | ")} |`;
  const sep = `|${table[0].map((_, c) => (numericColumns.has(c) ? "---:" : "---")).map((s) => ` ${s} `).join("|")}|`;
  return [line(table[0]), sep, ...table.slice(1).map(line)].join("\n");
}

function commandVersion(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", env: nixEnv });
  return r.status === 0 ? r.stdout.trim().split("\n")[0] : "unavailable";
}

/** The commit being measured, marked when the working tree has uncommitted changes. */
function tixRevision(): string {
  const head = spawnSync("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  if (head.status !== 0) return "unknown revision";
  const dirty = spawnSync("git", ["-C", repoRoot, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" });
  return head.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() !== "" ? " + uncommitted changes" : "");
}

function cpuModel(): string {
  const cpus = os.cpus();
  return cpus.length ? `${cpus.length} × ${cpus[0].model.trim()}` : "unknown CPU";
}

// ---------------------------------------------------------------------------------------------

function main(): number {
  let o: Options;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  haveTime = fs.existsSync(timeBin);
  haveTimeout = fs.existsSync(timeoutBin);
  tixBin = o.tix;
  workRoot = fs.mkdtempSync(path.join(os.tmpdir(), "tix-bench-"));
  const cleanup = (): void => {
    if (!o.keep) removeTree(workRoot);
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });

  const treeFiles = o.small ? 2_000 : 20_000;
  const treeBytes = o.small ? 20 * 1024 * 1024 : 200 * 1024 * 1024;
  let tree: Tree | null = null;
  const getTree = (): Tree => {
    if (tree === null) {
      process.stderr.write(`generating ${treeBytes / 1024 / 1024} MB tree in ${treeFiles} files… `);
      const t0 = Date.now();
      tree = generateTree(tempDir("tree-"), treeFiles, treeBytes);
      process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    return tree;
  };

  const flakes = flakeWorkloads({ tempDir, removeTree, tixBin: () => tixBin, nixEnv });
  const parses = parseWorkloads({ tempDir, removeTree, tixBin: () => tixBin, nixEnv });
  const all = [...evalWorkloads, ...parses, ...storeWorkloads(getTree), ...flakes];
  const wanted = new Set(o.only.length ? all.filter((w) => o.only.some((n) => w.name.includes(n))) : all);
  // A workload that reuses another's tix measurements brings that workload along.
  for (const w of [...wanted]) if (w.tixFrom !== undefined) wanted.add(all.find((x) => x.name === w.tixFrom)!);
  const selected = all.filter((w) => wanted.has(w));
  const containerNames = CONTAINER_WORKLOADS.filter((n) => o.only.length === 0 || o.only.some((x) => n.includes(x)));
  if (!selected.length && !containerNames.length) {
    process.stderr.write(`bench: no workload matches ${o.only.join(", ")}; workloads: ${[...all.map((w) => w.name), ...CONTAINER_WORKLOADS].join(", ")}\n`);
    cleanup();
    return 2;
  }

  const nixVersion = commandVersion(["nix-instantiate", "--version"]);
  process.stdout.write(
    `tix benchmarks — ${new Date().toISOString().slice(0, 10)}\n` +
    `nix: ${nixVersion}; node ${process.version}; ${cpuModel()}; ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM\n` +
    `reps ${o.reps} (median), warmup ${o.warmup}; ` +
    `CPU and memory: ${haveTime ? "user+sys time and peak RSS via /usr/bin/time" : "not measured (install GNU time: apt-get install -y time)"}\n` +
    `load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}` +
    `${os.loadavg()[0] > os.cpus().length / 2 ? " (machine busy: wall times are unreliable, compare CPU times)" : ""}\n` +
    `tix: ${tixBin === defaultTixBin ? "bin/tix" : tixBin}; checkout ${tixRevision()}\n` +
    (selected.some((w) => w.group === "store")
      ? `store tree: ${treeBytes / 1024 / 1024} MB in ${treeFiles} files${o.small ? " (--small)" : ""}\n`
      : "") +
    "\n",
  );

  const results: Result[] = [];
  const done = new Map<string, Result>();
  let containers = "";
  try {
    for (const w of selected) {
      process.stderr.write(`${w.name} `);
      const r = measure(w, o, done);
      process.stderr.write("\n");
      results.push(r);
      done.set(w.name, r);
    }
    if (containerNames.length) {
      process.stderr.write("containers ");
      const rows = runContainerBench({ tix: tixBin, workDir: tempDir("containers-"), reps: o.reps, warmup: o.warmup, only: containerNames });
      process.stderr.write("\n");
      containers = containerReport(rows, o.markdown);
    }
  } finally {
    cleanup();
  }

  if (results.length) {
    const table = rows(results);
    process.stdout.write(textTable(table) + "\n");
    if (o.markdown) process.stdout.write("\n" + markdownTable(table) + "\n");
  }
  process.stdout.write(containers);

  const notes: string[] = [];
  for (const r of results) {
    if (r.base.failure !== null) notes.push(`${r.w.name}: ${r.base.label} failed — ${r.base.failure}`);
    if (r.tix.failure !== null && r.w.tixFrom === undefined) {
      notes.push(
        r.w.group === "store"
          ? `${r.w.name}: skipped tix (command not available or failing) — ${r.tix.failure}`
          : `${r.w.name}: TIX FAILED — ${r.tix.failure}`,
      );
    }
    if (r.match === false) notes.push(`${r.w.name}: !!! OUTPUT MISMATCH !!! ${r.mismatchDetail}`);
  }
  process.stdout.write(
    "\ntix/base < 1 means tix is faster. Times are medians; wall is elapsed time, CPU is user+sys\n" +
    "(node's GC and JIT threads count towards tix's CPU). RSS is the median peak resident set size.\n" +
    "nar-hash-vs-raw compares the nar-hash tix time with sha256sum over the same bytes concatenated.\n",
  );
  process.stdout.write(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  if (notes.length) process.stdout.write("\nNotes:\n" + notes.map((n) => `  - ${n}`).join("\n") + "\n");
  const mismatches = results.filter((r) => r.match === false).length;
  if (mismatches) process.stdout.write(`\n!!! ${mismatches} workload(s) produced different output in tix and nix !!!\n`);
  return 0;
}

process.exitCode = main();
