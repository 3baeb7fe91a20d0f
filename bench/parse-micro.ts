// In-process parser throughput, for iterating on src/lang: generates the parse benchmark's Nix
// file (or reads FILE), then times the lexer alone and the full parser in CPU time (user+sys: GC
// threads count), cold (first call in the
// process) and warm (median of the following runs), in MB/s.
//
//   node dist/bench/parse-micro.js [--mb N] [--runs N] [--file FILE]
import * as fs from "node:fs";
import * as path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import type { Source } from "../src/lang/ast.js";
import { Lexer } from "../src/lang/lexer.js";
import { parse } from "../src/lang/parser.js";
import { T } from "../src/lang/tokens.js";
import { generateNix } from "./parse.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const file = option("--file", "");
const runs = Number(option("--runs", "7"));
const text = file ? fs.readFileSync(file, "latin1") : generateNix(Number(option("--mb", "5")) * 1e6);
const source: Source = { origin: "file", path: file ? path.resolve(file) : "/bench/big.nix", text, baseDir: file ? path.dirname(path.resolve(file)) : "/bench" };
const mb = text.length / 1e6;

function lexAll(): number {
  const lexer = new Lexer(source);
  let n = 0;
  while (lexer.next().kind !== T.EOF) n++;
  return n;
}

// Main-thread GC pauses, to tell allocation costs from the parser's own work.
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ["gc"] });

/** CPU milliseconds (user + system) of one call: steadier than wall time on a shared machine. */
function time(f: () => unknown): number {
  const t0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

async function report(label: string, f: () => unknown): Promise<void> {
  const cold = time(f);
  const warm: number[] = [];
  await new Promise((resolve) => setImmediate(resolve));
  gcMs = 0;
  for (let i = 0; i < runs; i++) warm.push(time(f));
  await new Promise((resolve) => setImmediate(resolve)); // lets the GC observer report
  const gcPerRun = gcMs / runs;
  warm.sort((a, b) => a - b);
  const median = warm[warm.length >> 1]!;
  const rate = (ms: number): string => `${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  process.stdout.write(`${label}: cold ${cold.toFixed(1)} ms (${rate(cold)}), warm median ${median.toFixed(1)} ms (${rate(median)}), best ${warm[0]!.toFixed(1)} ms, GC pauses ${gcPerRun.toFixed(1)} ms/run\n`);
}

process.stdout.write(`${mb.toFixed(2)} MB${file ? ` from ${file}` : " generated"}, ${lexAll()} tokens, ${runs} warm runs\n`);
if (process.argv.includes("--parse-first")) {
  await report("parse", () => parse(source));
  await report("lex  ", lexAll);
} else {
  await report("lex  ", lexAll);
  await report("parse", () => parse(source));
}
