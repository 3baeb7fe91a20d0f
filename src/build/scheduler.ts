// Realises derivation outputs: plans what is missing, then runs up to `max-jobs` builds at once as
// their dependencies finish; a failure fails its dependents and (without --keep-going) stops the rest.

import { parseDerivation, type Derivation, type LocalStore } from "../store/index.js";
import { buildDerivation, drvName, type BuildContext, type BuildMode } from "./build-derivation.js";
import { BuildCancelled, BuildError, formatErrorMessage } from "./errors.js";
import { describePlan, planBuilds, type BuildPlan, type BuildRequest, type PlanNode } from "./plan.js";
import type { BuildReporter } from "./progress.js";
import type { BuildSettings } from "./settings.js";

export interface SchedulerOptions {
  readonly store: LocalStore;
  readonly settings: BuildSettings;
  readonly reporter: BuildReporter;
  /** "check" (`--rebuild`/`--check`) rebuilds the requested derivations and compares the results. */
  readonly mode?: BuildMode;
  readonly hostEnv?: NodeJS.ProcessEnv;
}

export interface BuildOutcome {
  readonly drvPath: string;
  /** The requested outputs' paths. */
  readonly outputs: Map<string, string>;
}

type NodeState = "waiting" | "running" | "done" | "failed" | "cancelled";

interface Job {
  readonly node: PlanNode;
  state: NodeState;
  remaining: number;
  failedDeps: number;
  error: Error | null;
}

export class Scheduler {
  private readonly drvCache = new Map<string, Derivation>();
  private readonly controller = new AbortController();
  private interrupted = false;

  constructor(private readonly opts: SchedulerOptions) {}

  readDerivation = (drvPath: string): Derivation => {
    let d = this.drvCache.get(drvPath);
    if (d === undefined) {
      d = parseDerivation(this.opts.store.readText(drvPath), { name: drvName(drvPath) });
      this.drvCache.set(drvPath, d);
    }
    return d;
  };

  plan(requests: readonly BuildRequest[]): BuildPlan {
    return planBuilds(this.opts.store, this.readDerivation, requests, this.opts.mode ?? "normal");
  }

  /** Stops everything (e.g. on SIGINT): running builders are killed; `build` then fails. */
  interrupt(): void {
    this.interrupted = true;
    this.controller.abort();
  }

  /** The `--dry-run` report: what would be built. */
  dryRun(requests: readonly BuildRequest[]): { plan: BuildPlan; outcomes: BuildOutcome[] } {
    const plan = this.plan(requests);
    const text = describePlan(plan);
    if (text !== "") this.opts.reporter.message(text);
    return { plan, outcomes: requests.map((r) => this.outcome(r)) };
  }

  private outcome(r: BuildRequest): BuildOutcome {
    const drv = this.readDerivation(r.drvPath);
    const names = r.outputs ?? [...drv.outputs.keys()];
    return { drvPath: r.drvPath, outputs: new Map(names.map((n) => [n, drv.outputs.get(n)!.path])) };
  }

  /** Builds whatever `requests` need; returns their outputs or throws the failure (a BuildError). */
  async build(requests: readonly BuildRequest[]): Promise<BuildOutcome[]> {
    const { settings, reporter } = this.opts;
    const plan = this.plan(requests);
    if (plan.nodes.length === 0) return requests.map((r) => this.outcome(r));
    if (settings.maxJobs === 0) throw new BuildError("unable to start any build; either increase '--max-jobs' or enable remote builds", 1);
    reporter.setTotal(plan.nodes.length);

    const ctx: BuildContext = {
      store: this.opts.store,
      settings,
      reporter,
      hostEnv: this.opts.hostEnv ?? process.env,
      readDerivation: this.readDerivation,
    };
    const jobs = new Map<PlanNode, Job>();
    for (const node of plan.nodes) jobs.set(node, { node, state: "waiting", remaining: node.deps.length, failedDeps: 0, error: null });
    const ready: Job[] = plan.nodes.filter((n) => n.deps.length === 0).map((n) => jobs.get(n)!);
    const running = new Set<Promise<void>>();
    let stopping = false;

    const fail = (job: Job, error: Error): void => {
      job.state = "failed";
      job.error = error;
      if (!job.node.top) reporter.message(formatErrorMessage(error.message));
      for (const dep of job.node.dependents) {
        const j = jobs.get(dep)!;
        if (j.state !== "waiting") continue;
        j.failedDeps++;
        j.remaining--;
        if (!settings.keepGoing || j.remaining === 0) dependencyFailed(j);
      }
      if (!settings.keepGoing) {
        stopping = true;
        this.controller.abort();
      }
    };
    const dependencyFailed = (j: Job): void => {
      fail(j, new BuildError(`${j.failedDeps} dependencies of derivation '${j.node.drvPath}' failed to build`, 1));
    };
    const succeed = (job: Job): void => {
      job.state = "done";
      for (const dep of job.node.dependents) {
        const j = jobs.get(dep)!;
        if (j.state !== "waiting") continue;
        j.remaining--;
        if (j.remaining === 0) {
          if (j.failedDeps > 0) dependencyFailed(j);
          else ready.push(j);
        }
      }
    };
    const start = (job: Job): void => {
      job.state = "running";
      const p = buildDerivation(ctx, job.node.drvPath, job.node.drv, job.node.mode, this.controller.signal).then(
        () => succeed(job),
        (e: unknown) => {
          if (e instanceof BuildCancelled || this.controller.signal.aborted && !(e instanceof BuildError)) {
            job.state = "cancelled";
            return;
          }
          fail(job, e instanceof Error ? e : new Error(String(e)));
        },
      );
      const tracked: Promise<void> = p.finally(() => running.delete(tracked));
      running.add(tracked);
    };

    try {
      for (;;) {
        if (this.controller.signal.aborted) stopping = true;
        while (!stopping && running.size < settings.maxJobs && ready.length > 0) start(takeNext(ready));
        if (running.size === 0) break;
        await Promise.race(running);
      }
    } finally {
      reporter.close();
    }

    if (this.interrupted) throw new BuildError("interrupted by the user", 1);
    const failedTop = plan.nodes
      .map((n) => jobs.get(n)!)
      .filter((j) => j.node.top && j.state === "failed")
      .sort((a, b) => (a.node.drvPath < b.node.drvPath ? -1 : 1));
    const status = exitStatus([...jobs.values()]);
    if (failedTop.length === 1) {
      const e = failedTop[0]!.error!;
      throw e instanceof BuildError ? new BuildError(e.message, status) : e;
    }
    if (failedTop.length > 1) {
      for (const j of failedTop) reporter.message(formatErrorMessage(j.error!.message));
      throw new BuildError(`build of ${failedTop.map((j) => `'${j.node.drvPath}'`).join(", ")} failed`, status);
    }
    return requests.map((r) => this.outcome(r));
  }
}

/**
 * The ready build to start next: as in Nix, by the name of the derivation (`aardvark.drv` before
 * `baboon.drv`), then by its path, whatever order they became ready in.
 */
function takeNext(ready: Job[]): Job {
  const key = (j: Job): string => `${j.node.drvPath.slice(j.node.drvPath.lastIndexOf("/") + 34)}$${j.node.drvPath}`;
  let best = 0;
  for (let i = 1; i < ready.length; i++) if (key(ready[i]!) < key(ready[best]!)) best = i;
  return ready.splice(best, 1)[0]!;
}

/** nix-build's exit status: 100 + 1 (timeout) + 2 (hash mismatch) + 4 (not deterministic), or 1. */
function exitStatus(jobs: readonly Job[]): number {
  let mask = 0;
  for (const j of jobs) {
    if (j.state !== "failed" || !(j.error instanceof BuildError)) continue;
    if (j.error.status === 100) mask |= 0x04;
    if (j.error.status === 102) mask |= 0x06;
    if (j.error.status === 104) mask |= 0x08;
  }
  return mask === 0 ? 1 : mask | 0x60;
}
