// Loads the bundled CLI with a V8 code cache beside it, so start-up skips most compilation.
// dist/tix.cjs is written already wrapped in CommonJS's module function (scripts/bundle.mjs).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
// Loaded only when the bundle runs: a `flake show` answered by dist/tix-fast.cjs needs neither.
let vm, Module;

const file = path.join(__dirname, "..", "dist", "tix.cjs");

/**
 * Evaluation commands get a code cache of their own, made from evaluations only: a cache costs
 * start-up in proportion to its size (reading it, and V8 deserialising every function in it),
 * and the one that also holds locking, fetching and the store is ~40% larger. Every other
 * command uses the full cache.
 */
const EVAL_FAMILY = new Set(["instantiate", "eval", "--version", "--help", "help", undefined]);

/**
 * The code cache file of a family ("eval" or "full"). V8 accepts a cache only in a process with
 * the V8 flags of the one that made it, and bin/tix passes --stack-size only where it could lift
 * the stack limit, while developers run this file with other flags (profiling): each set of
 * flags has cache files of its own, so that they never replace each other's.
 */
function cacheFile(family) {
  let h = 0x811c9dc5; // FNV-1a of the flags: a short, stable tag
  for (const c of process.execArgv.join(" ")) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `${file}.${family}-${h.toString(16).padStart(8, "0")}.cache`;
}

/** The code cache file for a command line (`tix --store DIR CMD …` names CMD third). */
function cacheFileFor(argv) {
  const cmd = argv[0] === "--store" ? argv[2] : argv[0];
  return cacheFile(EVAL_FAMILY.has(cmd) ? "eval" : "full");
}

/** Reads all of an open file into `buf`, which is large enough. */
function readInto(fd, buf, size) {
  for (let off = 0; off < size; ) {
    const n = fs.readSync(fd, buf, off, size - off, null);
    if (n === 0) throw new Error(`${file}: file shrank while being read`);
    off += n;
  }
}

/**
 * The bundle's source (ASCII-only, so read as latin1) and, when `cacheFile` exists, its code
 * cache. Both go through one buffer: start-up is dominated by first touches of fresh memory
 * pages (~20 µs each on a VM), and once the source is a string its bytes can hold the cache.
 */
function readBundle(cacheFile) {
  let fd = fs.openSync(file, "r");
  let buf, source, bundleTime;
  try {
    const st = fs.fstatSync(fd);
    const size = st.size;
    bundleTime = st.mtimeMs;
    buf = Buffer.allocUnsafeSlow(size);
    readInto(fd, buf, size);
    source = buf.toString("latin1", 0, size);
  } finally {
    fs.closeSync(fd);
  }
  if (cacheFile === undefined) return { source, cachedData: undefined };
  try {
    fd = fs.openSync(cacheFile, "r");
  } catch {
    return { source, cachedData: undefined };
  }
  try {
    const st = fs.fstatSync(fd);
    // V8 checks a code cache against the source's length only: a cache older than a rebuilt
    // bundle of the same length (one that changed only a constant, such as its build id) would
    // run the old build's code. Such a cache is dropped and made again when this run exits.
    if (st.mtimeMs < bundleTime) return { source, cachedData: undefined };
    const size = st.size;
    const into = size <= buf.length ? buf : Buffer.allocUnsafeSlow(size);
    readInto(fd, into, size);
    return { source, cachedData: into.subarray(0, size) };
  } catch {
    return { source, cachedData: undefined };
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the CLI once (the bundle runs `main` with process.argv when it is loaded). */
function runBundle(wrapper) {
  Module ??= require("node:module");
  const mod = { exports: {}, filename: file, id: file, paths: [] };
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

/** The commands whose answers src/cli/answer-record.ts records (`tix flake …`). */
const RECORDED = new Set(["show", "metadata", "info"]);

/**
 * `flake show` and `flake metadata` first ask the small entry dist/tix-fast.cjs
 * (src/cli/fast-answer.ts), which prints a recorded answer that still holds, without the CLI
 * bundle: loading that is most of a cached run. It does nothing at all when it cannot answer,
 * and the CLI runs as usual.
 */
function answeredFromRecord(argv) {
  const at = argv[0] === "--store" ? 2 : 0;
  if (argv[at] !== "flake" || !RECORDED.has(argv[at + 1])) return false;
  let fast;
  try {
    fast = require(path.join(__dirname, "..", "dist", "tix-fast.cjs"));
  } catch {
    return false;
  }
  return fast.tryRecordedAnswer(argv);
}

function writeCache(script, cacheFile) {
  try {
    fs.writeFileSync(cacheFile + "." + process.pid, script.createCachedData());
    fs.renameSync(cacheFile + "." + process.pid, cacheFile);
  } catch {}
}

if (process.argv[2] === "--train-code-cache") {
  if (process.argv[3] === undefined) trainAll();
  else train(process.argv[3]);
} else if (!answeredFromRecord(process.argv.slice(2))) {
  const cacheFile = cacheFileFor(process.argv.slice(2));
  const { source, cachedData } = readBundle(cacheFile);
  vm = require("node:vm");
  const script = new vm.Script(source, { filename: file, cachedData, importModuleDynamically: undefined });
  // Without a cache, one is written after the CLI finished, when the functions it ran have
  // been compiled too (`npm run build` writes a better one with --train-code-cache).
  if (cachedData === undefined || script.cachedDataRejected) process.once("exit", () => writeCache(script, cacheFile));
  runBundle(script.runInThisContext());
}

/**
 * `tix --train-code-cache` (run by `npm run build`, through bin/tix so that the V8 flags match):
 * makes each code cache in a process of its own (a cache holds every function its process
 * compiled), with the same node and V8 flags as this one.
 */
function trainAll() {
  const { execFileSync } = require("node:child_process");
  for (const family of ["eval", "full"]) {
    execFileSync(process.execPath, [...process.execArgv, __filename, "--train-code-cache", family], { stdio: "inherit" });
  }
}

/**
 * Runs a few typical commands of a family in this one process and writes the family's code
 * cache with every function they compiled, so that commands other than the first one run also
 * start from compiled code.
 */
async function train(family) {
  const os = require("node:os");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tix-train-"));
  const flake = path.join(tmp, "flake");
  fs.mkdirSync(flake);
  fs.writeFileSync(
    path.join(flake, "flake.nix"),
    `{
  description = "code cache training";
  outputs = { self }: let
    mk = name: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo \${name} > $out" ]; };
  in {
    packages.x86_64-linux = { a = mk "a"; b = mk "b"; default = self.packages.x86_64-linux.a; };
  };
}
`,
  );
  fs.writeFileSync(path.join(flake, "flake.lock"), `{\n  "nodes": {\n    "root": {}\n  },\n  "root": "root",\n  "version": 7\n}\n`);
  process.env.XDG_CACHE_HOME = path.join(tmp, "cache");
  process.env.TIX_SYSTEM = "x86_64-linux";
  const store = path.join(tmp, "store");
  const show = ["flake", "show", "--store", store, `path:${flake}`];
  const instantiate = ["instantiate", "--eval", "--strict", path.join(__dirname, "..", "examples", "hello.nix")];
  const runs =
    family === "eval"
      ? [instantiate]
      : [
          instantiate,
          "settle", // the flake's files must be old enough for a run to record how it locked
          show, // locks, evaluates, fills the evaluation cache
          show, // answered from the evaluation cache without locking
        ];
  vm = require("node:vm");
  const script = new vm.Script(readBundle(undefined).source, { filename: file, importModuleDynamically: undefined });
  try {
    for (const argv of runs) {
      if (argv === "settle") {
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      process.argv = [process.argv[0], __filename, ...argv];
      process.exitCode = undefined;
      runBundle(script.runInThisContext());
      const deadline = Date.now() + 120_000;
      while (process.exitCode === undefined && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      if (process.exitCode !== 0) {
        // The cache is still made from the other runs; the build goes on.
        process.stderr.write(`warning: 'tix ${argv.join(" ")}' failed while training the code cache\n`);
        process.exitCode = 0;
      }
    }
    writeCache(script, cacheFile(family));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
