// Plain-file records of what `tix flake show` (or `flake metadata`) printed for an unchanged
// local flake. The same command line, run again in the same directory, environment and build
// while the flake's tree keeps its stamp (source-stamp.ts), prints exactly that again: the full
// CLI would answer it the same way (show from the evaluation cache; metadata by locking the same
// tree again). bin/tix-main.cjs replays a record through a small bundle of its own
// (fast-answer.ts) before it loads the CLI's, which costs most of a cached run.
//
// A record is written only by a run whose output the next identical run repeats: a `show` that
// answered from the recorded locking and the rendered tree (no locking, fetching or evaluation
// happened); a `metadata` that locked a settled tree without writing to stderr.

import * as fs from "node:fs";
import * as path from "node:path";
import { defaultCacheDir } from "../fetch/context.js";
import { stillAnswers, type ProbeAnswer } from "../flake/fs-probe.js";
import { stampTree } from "../flake/source-stamp.js";
import { buildId } from "./build-id.js";
import { quickDigest } from "./quick-digest.js";
import { stdoutIsTerminal } from "./terminal.js";

/** Changes whenever the record's shape or meaning does. */
const FORMAT = 1;

type Write = readonly [1 | 2, string];

interface AnswerRecord {
  readonly format: number;
  /** The build that printed it (build-id.ts). */
  readonly build: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  /** envDigest of the environment it ran in. */
  readonly env: string;
  /** Whether stdout was a terminal (colours). */
  readonly terminal: boolean;
  /** What parsing the flake reference asked of the file system (a bare `.` searches up). */
  readonly probes: readonly ProbeAnswer[];
  /** The flake's directory and its stamp's digest. */
  readonly source: string;
  readonly stamp: string;
  /** timeZoneIdentity() when the answer prints local times. */
  readonly zone?: string;
  /** Everything printed, in order: descriptor and byte string. */
  readonly writes: readonly Write[];
}

/**
 * Variables that shells change between commands and tix never reads. NODE_EXTRA_CA_CERTS is
 * set by the CLI itself from TIX_EXTRA_CA_CERTS (which counts) before a record is written.
 */
const IGNORED_ENV = new Set(["_", "OLDPWD", "PWD", "SHLVL", "NODE_EXTRA_CA_CERTS"]);

/**
 * A digest of the whole environment (but IGNORED_ENV): every variable counts, so one that a
 * later version of tix reads (or one nobody thought of) can never serve a stale answer. Kept as
 * a digest, so that no secret in the environment is written to disk. (The file name holds only
 * a digest of the command line, which the record repeats in full.)
 */
export function envDigest(env: NodeJS.ProcessEnv): string {
  const names = Object.keys(env)
    .filter((n) => !IGNORED_ENV.has(n))
    .sort();
  return quickDigest(names.map((n) => `${n}=${env[n]}\0`).join(""));
}

/**
 * Which time zone local times are printed in, apart from TZ (in the environment digest): the
 * system's zone file, as it is and as it points (a link to a zone that tzdata may replace).
 */
function timeZoneIdentity(): string {
  const identity = (stat: () => fs.Stats): string => {
    try {
      const st = stat();
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch {
      return "-";
    }
  };
  return identity(() => fs.lstatSync("/etc/localtime")) + "/" + identity(() => fs.statSync("/etc/localtime"));
}

/** Where the record of a command line run in `cwd` lives. */
export function answerFile(env: NodeJS.ProcessEnv, argv: readonly string[], cwd: string): string {
  return path.join(defaultCacheDir(env), "answers", quickDigest(JSON.stringify([argv, cwd])) + ".json");
}

/**
 * Records what this process printed (`writes`) as the answer to its command line, valid while
 * the flake `source` keeps the stamp `stamp`. Best effort: a record that cannot be written only
 * means the next run takes the full path.
 */
export function saveAnswer(answer: {
  probes: readonly ProbeAnswer[];
  source: string;
  stamp: string;
  writes: readonly Write[];
  /** The answer prints times in the local time zone. */
  localTimes?: boolean;
}): void {
  const build = buildId();
  if (build === undefined) return;
  const argv = process.argv.slice(2);
  const cwd = process.cwd();
  const record: AnswerRecord = {
    format: FORMAT,
    build,
    argv,
    cwd,
    env: envDigest(process.env),
    terminal: stdoutIsTerminal(),
    probes: answer.probes,
    source: answer.source,
    stamp: answer.stamp,
    ...(answer.localTimes === true ? { zone: timeZoneIdentity() } : {}),
    writes: answer.writes,
  };
  const file = answerFile(process.env, argv, cwd);
  const temp = `${file}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, JSON.stringify(record));
    // Atomic: a concurrent reader sees the old record or the new one, never half of one.
    fs.renameSync(temp, file);
    pruneAnswers(path.dirname(file));
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {}
  }
}

/** Records kept at most: one is written per command line and directory, so they accumulate. */
export const MAX_ANSWERS = 256;

/**
 * Keeps the newest records when there are more than MAX_ANSWERS (a removed one only means its
 * command takes the full path next time). Runs only when a record was written, which a replayed
 * answer never does.
 */
export function pruneAnswers(dir: string): void {
  const names = fs.readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (names.length <= MAX_ANSWERS) return;
  const aged: [number, string][] = [];
  for (const n of names) {
    try {
      aged.push([fs.statSync(path.join(dir, n)).mtimeMs, n]);
    } catch {} // removed meanwhile by a concurrent run
  }
  aged.sort((a, b) => b[0] - a[0]);
  // Down to three quarters, so that pruning is not repeated by every following write.
  for (const [, n] of aged.slice(Math.floor((MAX_ANSWERS * 3) / 4))) fs.rmSync(path.join(dir, n), { force: true });
}

/**
 * The writes recorded for this command line, when the record still holds: same build, directory,
 * environment and terminal, the same answers about the paths the reference's parsing looked at,
 * and the same settled stamp of the flake's tree. Undefined otherwise (or on any doubt).
 */
export function findAnswer(build: string, argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): readonly Write[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(answerFile(env, argv, cwd), "utf8");
  } catch {
    return undefined;
  }
  const r = JSON.parse(text) as AnswerRecord;
  if (r.format !== FORMAT || r.build !== build || r.cwd !== cwd) return undefined;
  if (r.argv.length !== argv.length || r.argv.some((a, i) => a !== argv[i])) return undefined;
  if (r.env !== envDigest(env) || r.terminal !== stdoutIsTerminal()) return undefined;
  if (!stillAnswers(r.probes)) return undefined;
  if (r.zone !== undefined && r.zone !== timeZoneIdentity()) return undefined;
  const stamp = stampTree(r.source);
  if (stamp === undefined || !stamp.settled || stamp.digest !== r.stamp) return undefined;
  // Printed after this returns, outside the caller's guard: a damaged record must not get there.
  if (!Array.isArray(r.writes) || !r.writes.every(isWrite)) return undefined;
  return r.writes;
}

function isWrite(w: unknown): w is Write {
  return Array.isArray(w) && w.length === 2 && (w[0] === 1 || w[0] === 2) && typeof w[1] === "string";
}
