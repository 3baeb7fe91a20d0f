#!/usr/bin/env node
// Re-records the golden files of the differential corpus from the live oracle (real
// `nix-instantiate`) and prints every case whose recorded output changed.
//
//   node test/differential/record.mjs            rewrite eval/*.exp, eval-fail/*.err.exp|.err28.exp,
//                                                 and the recorded fields of flags/cases.json
//   node test/differential/record.mjs --check    only compare; exit 1 if anything differs
//   node test/differential/record.mjs TEXT…      restrict to cases whose "folder/name" contains TEXT
//
// Hand-written files (`*.modern.exp`, and `*.err.exp` of cases that also have a `*.err28.exp`, and
// the `modern*` fields of flags/cases.json) are never touched. See README.md.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = fs.realpathSync(path.dirname(fileURLToPath(import.meta.url)));
const evalDir = path.join(here, "eval");
const failDir = path.join(here, "eval-fail");
const flagsDir = path.join(here, "flags");
const casesFile = path.join(flagsDir, "cases.json");

const args = process.argv.slice(2);
const check = args.includes("--check");
const filters = args.filter((a) => !a.startsWith("--"));
const selected = (name) => filters.length === 0 || filters.some((f) => name.includes(f));

const NIX_CONFIG = "experimental-features = nix-command flakes\nsubstituters =";
const store = fs.mkdtempSync(path.join(os.tmpdir(), "tix-diff-record-store-"));
let changes = 0;
let problems = 0;

/** Runs a command; `encoding` is "latin1" (byte-exact, for golden files) or "utf8" (for JSON). */
function run(cmd, argv, { cwd, env = {}, input, encoding = "latin1" } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, {
      cwd,
      env: { ...process.env, NIX_PATH: "", NIX_CONFIG, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out = [];
    const err = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(encoding), stderr: Buffer.concat(err).toString(encoding) });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

const oracle = (argv, opts) => run("nix-instantiate", ["--store", store, ...argv], opts);

/** Replaces the absolute corpus directory by `@DIR@`, so recordings don't depend on the checkout. */
function normalise(text, dir, encoding = "latin1") {
  return text.split(Buffer.from(dir, "utf8").toString(encoding)).join("@DIR@");
}

/**
 * The text after `error: ` on the last line that starts (after indentation) with `error: `, with
 * the message's continuation lines as printed (indented; up to a blank line or an `at …:` line).
 */
function finalErrorMessage(stderr) {
  let found;
  let open = false;
  for (const line of stderr.split("\n")) {
    const m = /^\s*error: (.*)$/.exec(line);
    if (m) {
      found = m[1];
      open = true;
    } else if (open && /^ {7}./.test(line) && line.trim() !== "" && !/^\s*at .*:$/.test(line) && !/^ +[0-9]*\| /.test(line)) found += "\n" + line;
    else open = false;
  }
  return found;
}

function readIf(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, "latin1") : undefined;
}

function update(file, content, label) {
  const old = readIf(file);
  if (old === content) return;
  changes++;
  console.log(`${old === undefined ? "new" : "changed"}: ${label}`);
  if (old !== undefined) {
    const show = (s) => JSON.stringify(Buffer.from(s, "latin1").toString("utf8"));
    console.log(`  was: ${show(old)}`);
    console.log(`  now: ${show(content)}`);
  }
  if (!check) fs.writeFileSync(file, content, "latin1");
}

async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

function caseNames(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".nix"))
    .map((f) => f.slice(0, -4))
    .filter((name) => selected(`${path.basename(dir)}/${name}`))
    .sort();
}

/** Evaluates files with one oracle process per batch; cases after a failure run on their own. */
async function evalBatch(names) {
  const results = new Map();
  let start = 0;
  while (start < names.length) {
    const batch = names.slice(start);
    const r = await oracle(["--eval", "--strict", ...batch.map((n) => path.join(evalDir, `${n}.nix`))], { cwd: evalDir });
    const lines = r.stdout.split("\n");
    const complete = lines.length - 1;
    if (r.code === 0 && complete === batch.length) {
      batch.forEach((n, i) => results.set(n, { code: 0, stdout: lines[i] + "\n", stderr: "" }));
      break;
    }
    for (let i = 0; i < Math.min(complete, batch.length); i++) results.set(batch[i], { code: 0, stdout: lines[i] + "\n", stderr: "" });
    const failed = batch[complete];
    if (failed === undefined) break;
    results.set(failed, await oracle(["--eval", "--strict", path.join(evalDir, `${failed}.nix`)], { cwd: evalDir }));
    start += complete + 1;
  }
  return results;
}

async function recordEval() {
  const names = caseNames(evalDir);
  const chunks = [];
  for (let i = 0; i < names.length; i += 40) chunks.push(names.slice(i, i + 40));
  const results = new Map();
  await pool(chunks, 2, async (chunk) => {
    for (const [k, v] of await evalBatch(chunk)) results.set(k, v);
  });
  for (const name of names) {
    const r = results.get(name);
    const modern = fs.existsSync(path.join(evalDir, `${name}.modern.exp`));
    if (r.code !== 0) {
      if (modern) {
        if (fs.existsSync(path.join(evalDir, `${name}.exp`))) {
          console.log(`stale: eval/${name}.exp (the oracle now fails; remove it)`);
          problems++;
        }
        continue;
      }
      problems++;
      console.log(`FAILS: eval/${name}: ${finalErrorMessage(r.stderr) ?? r.stderr.trim()}`);
      continue;
    }
    update(path.join(evalDir, `${name}.exp`), normalise(r.stdout, evalDir), `eval/${name}.exp`);
  }
  return names.length;
}

async function recordFail() {
  const names = caseNames(failDir);
  await pool(names, 2, async (name) => {
    const file = path.join(failDir, `${name}.nix`);
    const r = await oracle(["--eval", "--strict", file], { cwd: failDir });
    const stderr = normalise(r.stderr, failDir);
    const message = r.code === 0 ? `(exit 0) ${normalise(r.stdout, failDir)}` : `${finalErrorMessage(stderr) ?? stderr.trim()}\n`;
    const old28 = path.join(failDir, `${name}.err28.exp`);
    const target = fs.existsSync(old28) ? old28 : path.join(failDir, `${name}.err.exp`);
    if (r.code === 0 && target !== old28) {
      problems++;
      console.log(`SUCCEEDS: eval-fail/${name} (on 2.8; add a .err28.exp if modern Nix fails here)`);
      return;
    }
    update(target, message, `eval-fail/${path.basename(target)}`);
    const pos = readIf(path.join(failDir, `${name}.pos`))?.trim();
    if (pos && !stderr.includes(`${name}.nix:${pos}`)) {
      problems++;
      console.log(`POSITION: eval-fail/${name}: ${name}.nix:${pos} not in the oracle's stderr`);
    }
  });
  return names.length;
}

/** JSON with two-space indentation, but arrays of strings (argument lists) kept on one line. */
function formatCases(cases) {
  return (
    JSON.stringify(cases, null, 2).replace(/\[\n\s+("(?:[^"\\]|\\.)*"(?:,\n\s+"(?:[^"\\]|\\.)*")*)\n\s+\]/g, (_, items) =>
      `[${items.split(/,\n\s+/).join(", ")}]`,
    ) + "\n"
  );
}

async function recordFlags() {
  const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
  const subst = (s) => s.split("@DIR@").join(flagsDir);
  for (const c of cases) {
    if (!selected(`flags/${c.name}`)) continue;
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, subst(v)]));
    const r = await oracle(c.args.map(subst), { cwd: path.join(flagsDir, c.cwd ?? "."), env, input: c.stdin, encoding: "utf8" });
    const recorded = { stdout: normalise(r.stdout, flagsDir, "utf8"), exit: r.code };
    if (r.code !== 0) recorded.error = finalErrorMessage(normalise(r.stderr, flagsDir, "utf8")) ?? r.stderr.trim();
    for (const key of ["stdout", "exit", "error"]) {
      if (c[key] === recorded[key]) continue;
      changes++;
      console.log(`${c[key] === undefined ? "new" : "changed"}: flags/${c.name} ${key}`);
      if (c[key] !== undefined) console.log(`  was: ${JSON.stringify(c[key])}\n  now: ${JSON.stringify(recorded[key])}`);
      if (recorded[key] === undefined) delete c[key];
      else c[key] = recorded[key];
    }
  }
  if (!check) fs.writeFileSync(casesFile, formatCases(cases));
  return cases.length;
}

try {
  const counts = [await recordEval(), await recordFail(), await recordFlags()];
  console.log(`${counts[0]} eval, ${counts[1]} eval-fail, ${counts[2]} flags cases; ${changes} change(s), ${problems} problem(s)${check ? " (check only)" : ""}`);
  process.exitCode = (check && changes > 0) || problems > 0 ? 1 : 0;
} finally {
  fs.rmSync(store, { recursive: true, force: true });
}
