// Container workloads (issue #7): how long `tix container start` takes until the container's
// httpd answers, and how long `tix container update` of a running container takes.
//
// nixos-container is not available here (it needs systemd), so there is no reference side:
// the report gives tix's absolute times against the 1 s target. Needs root, bwrap, ip, nsenter
// and curl; everything runs in a network namespace and a state root of its own, below the
// benchmark's temporary directory, and is removed afterwards.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The names `--only` matches for these workloads. */
export const CONTAINER_WORKLOADS = ["container-start", "container-update", "container-update-changed"] as const;

export interface ContainerBenchOptions {
  readonly tix: string;
  /** A directory for the state root, the flake and the home directory (removed by the caller). */
  readonly workDir: string;
  readonly reps: number;
  readonly warmup: number;
  /** Workload names to run (a subset of CONTAINER_WORKLOADS). */
  readonly only: readonly string[];
}

export interface ContainerRow {
  readonly name: string;
  readonly what: string;
  /** Wall seconds of each timed run. */
  readonly times: number[];
  failure: string | null;
}

const TARGET_SECONDS = 1;
const NAME = "bench-ct";
const ADDRESS = "10.233.1.2";
const PAGE = "It works!";

/** Why the container workloads cannot run here, or null. */
export function containerBenchSkipReason(): string | null {
  if (process.getuid?.() !== 0) return "needs root (network namespaces, veth pairs, bwrap as root)";
  for (const p of ["bwrap", "ip", "nsenter", "curl", "git"]) {
    if (spawnSync("sh", ["-c", `command -v ${p}`], { stdio: "ignore" }).status !== 0) return `needs ${p}`;
  }
  return null;
}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(argv: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Run {
  const r = spawnSync(argv[0]!, argv.slice(1), { env, cwd, encoding: "utf8", timeout: 600_000, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

function must(r: Run, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  return r.stdout;
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Runs the selected container workloads; returns one row per workload. */
export function runContainerBench(o: ContainerBenchOptions): ContainerRow[] {
  const rows: ContainerRow[] = [
    { name: "container-start", what: "`container start` until curl gets the page", times: [], failure: null },
    { name: "container-update", what: "`container update --flake .` of a running container, flake unchanged", times: [], failure: null },
    { name: "container-update-changed", what: "the same after a committed change to an /etc file (new system, httpd kept)", times: [], failure: null },
  ].filter((r) => o.only.includes(r.name));
  if (rows.length === 0) return rows;
  const skip = containerBenchSkipReason();
  if (skip !== null) {
    for (const r of rows) r.failure = `skipped: ${r.name} ${skip}`;
    return rows;
  }

  const state = path.join(o.workDir, "state");
  const home = path.join(o.workDir, "home");
  const flake = path.join(o.workDir, "flake");
  for (const d of [state, home, flake]) fs.mkdirSync(d, { recursive: true });
  const netns = `tixbench-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    TIX_STATE_ROOT: state,
    GIT_AUTHOR_NAME: "bench",
    GIT_AUTHOR_EMAIL: "bench@example.org",
    GIT_COMMITTER_NAME: "bench",
    GIT_COMMITTER_EMAIL: "bench@example.org",
  };
  const inNetns = (argv: readonly string[]): string[] => ["nsenter", `--net=/run/netns/${netns}`, ...argv];
  const tix = (...args: string[]): Run => run(inNetns([o.tix, ...args, "--store", state]), env, flake);
  const git = (...args: string[]): string => must(run(["git", ...args], env, flake), `git ${args[0]}`);
  const curlOnce = (): boolean => run(inNetns(["curl", "-s", "-m", "1", `http://${ADDRESS}/`]), env).stdout.includes(PAGE);
  const stop = (): void => void tix("container", "stop", NAME);
  // The configuration the changed-update workload alternates between.
  let generation = 0;
  const commitChange = (): void => {
    generation++;
    const text = fs.readFileSync(path.join(flake, "flake.nix"), "utf8");
    const marker = /environment\.etc\."bench\.conf"\.text = "[0-9]+\\n";/;
    const line = `environment.etc."bench.conf".text = "${generation}\\n";`;
    const next = marker.test(text) ? text.replace(marker, line) : text.replace("boot.isContainer = true;", `boot.isContainer = true;\n            ${line}`);
    if (next === text) throw new Error("cannot edit the template's flake.nix");
    fs.writeFileSync(path.join(flake, "flake.nix"), next);
    git("commit", "-q", "-a", "-m", `generation ${generation}`);
  };

  must(run(["ip", "netns", "add", netns], env), "ip netns add");
  try {
    must(run(inNetns(["ip", "link", "set", "lo", "up"]), env), "ip link set lo up");
    git("init", "-q");
    must(run([o.tix, "flake", "init", "-t", "templates#simpleContainer"], env, flake), "tix flake init");
    must(run([o.tix, "flake", "lock", "--store", state], env, flake), "tix flake lock");
    git("add", ".");
    git("commit", "-q", "-m", "Initial revision");
    must(tix("container", "create", NAME, "--flake", "."), "tix container create");

    for (const row of rows) {
      try {
        for (let i = 0; i < o.warmup + o.reps; i++) {
          const timed = i >= o.warmup;
          if (row.name === "container-start") {
            const t0 = process.hrtime.bigint();
            must(tix("container", "start", NAME), "tix container start");
            let answered = curlOnce();
            for (let tries = 0; !answered && tries < 500; tries++) answered = curlOnce();
            const t = seconds(t0);
            if (!answered) throw new Error("the container's httpd did not answer");
            stop();
            if (timed) row.times.push(t);
          } else {
            must(tix("container", "start", NAME), "tix container start");
            if (row.name === "container-update-changed") commitChange();
            const t0 = process.hrtime.bigint();
            must(tix("container", "update", NAME, "--flake", "."), "tix container update");
            const t = seconds(t0);
            if (!curlOnce()) throw new Error("the container's httpd does not answer after the update");
            if (timed) row.times.push(t);
          }
          process.stderr.write(".");
        }
      } catch (e) {
        row.failure = (e as Error).message;
      }
    }
  } catch (e) {
    for (const r of rows) r.failure ??= (e as Error).message;
  } finally {
    tix("container", "destroy", NAME);
    run(["ip", "netns", "del", netns], env);
  }
  return rows;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The report: a table of medians (and ranges) against the 1 s target. */
export function containerReport(rows: readonly ContainerRow[], markdown: boolean): string {
  if (rows.length === 0) return "";
  const header = ["workload", "tix wall (median)", "min", "max", "target", "what"];
  const body = rows.map((r) =>
    r.failure !== null || r.times.length === 0
      ? [r.name, "—", "—", "—", `${TARGET_SECONDS} s`, r.failure ?? "no runs"]
      : [
          r.name,
          `${median(r.times).toFixed(3)} s`,
          `${Math.min(...r.times).toFixed(3)} s`,
          `${Math.max(...r.times).toFixed(3)} s`,
          `${median(r.times) < TARGET_SECONDS ? "<" : "≥"} ${TARGET_SECONDS} s`,
          r.what,
        ],
  );
  const table = [header, ...body];
  const widths = header.map((_, c) => Math.max(...table.map((row) => [...row[c]!].length)));
  const text = [table[0]!, widths.map((w) => "-".repeat(w)), ...body].map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd());
  let out = "\nContainers (no nixos-container here: absolute times against the 1 s target of issue #7)\n" + text.join("\n") + "\n";
  if (markdown) {
    out += "\n" + [header, header.map(() => "---"), ...body].map((row) => `| ${row.join(" | ")} |`).join("\n") + "\n";
  }
  return out;
}
