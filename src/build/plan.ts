// What has to be built to make some derivation outputs valid: the graph of derivations whose
// wanted outputs are missing, in dependency order (and Nix's "these N derivations will be built").

import type { Derivation, LocalStore } from "../store/index.js";
import { BuildError } from "./errors.js";
import type { BuildMode } from "./build-derivation.js";

/** Outputs of a derivation to make valid; null means all of them. */
export interface BuildRequest {
  readonly drvPath: string;
  readonly outputs: readonly string[] | null;
}

export interface PlanNode {
  readonly drvPath: string;
  readonly drv: Derivation;
  mode: BuildMode;
  /** Requested directly (not only as a dependency). */
  top: boolean;
  readonly deps: PlanNode[];
  readonly dependents: PlanNode[];
}

export interface BuildPlan {
  /** Derivations to build, dependencies first. */
  readonly nodes: readonly PlanNode[];
}

/**
 * Plans the builds for `requests`: every derivation with a wanted output that is not valid, and
 * recursively the inputs those need. With `topMode` "check", requested derivations are rebuilt
 * even when valid (their inputs are only built if missing).
 */
export function planBuilds(
  store: LocalStore,
  readDerivation: (drvPath: string) => Derivation,
  requests: readonly BuildRequest[],
  topMode: BuildMode = "normal",
): BuildPlan {
  const nodes = new Map<string, PlanNode>();

  const need = (drvPath: string, wanted: readonly string[] | null, top: boolean): PlanNode | null => {
    if (!store.isValid(drvPath)) throw new BuildError(`path '${drvPath}' is not valid`, 1);
    const drv = readDerivation(drvPath);
    const outs = wanted ?? [...drv.outputs.keys()];
    const missing = outs.filter((o) => !drv.outputs.has(o));
    if (missing.length > 0) {
      throw new BuildError(`derivation '${drvPath}' does not have wanted outputs ${missing.map((o) => `'${o}'`).join(", ")}`, 1);
    }
    const mode: BuildMode = top ? topMode : "normal";
    const existing = nodes.get(drvPath);
    if (existing !== undefined) {
      if (top) {
        existing.top = true;
        existing.mode = mode;
      }
      return existing;
    }
    if (mode === "normal" && outs.every((o) => store.isValid(drv.outputs.get(o)!.path))) return null;
    const node: PlanNode = { drvPath, drv, mode, top, deps: [], dependents: [] };
    nodes.set(drvPath, node);
    for (const src of drv.inputSrcs) {
      if (!store.isValid(src)) throw new BuildError(`path '${src}' is required, but there is no substituter that can build it`, 1);
    }
    for (const [inDrv, inOuts] of [...drv.inputDrvs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const dep = need(inDrv, inOuts, false);
      if (dep !== null && !node.deps.includes(dep)) {
        node.deps.push(dep);
        dep.dependents.push(node);
      }
    }
    return node;
  };
  for (const r of requests) need(r.drvPath, r.outputs, true);

  // Post-order depth-first walk in path order: dependencies first, as Nix lists them.
  const order: PlanNode[] = [];
  const visited = new Set<PlanNode>();
  const visit = (n: PlanNode): void => {
    if (visited.has(n)) return;
    visited.add(n);
    for (const d of [...n.deps].sort((a, b) => (a.drvPath < b.drvPath ? -1 : 1))) visit(d);
    order.push(n);
  };
  for (const p of [...nodes.keys()].sort()) visit(nodes.get(p)!);
  return { nodes: order };
}

/** Nix's summary of a plan (`these 2 derivations will be built:` …), or "" when there is nothing to do. */
export function describePlan(plan: BuildPlan): string {
  const n = plan.nodes.length;
  if (n === 0) return "";
  const head = n === 1 ? "this derivation will be built:" : `these ${n} derivations will be built:`;
  return head + "\n" + plan.nodes.map((p) => `  ${p.drvPath}\n`).join("");
}
