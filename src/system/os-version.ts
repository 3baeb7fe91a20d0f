// `nixos-version` for the system running below a root: reads `/run/current-system`'s recorded
// version data; for a system without it, runs that system's own `sw/bin/nixos-version`.

import { runInRoot } from "./activation.js";
import { SystemError } from "./errors.js";
import * as fs from "node:fs";
import { resolveIntoStore, STORE_DIR, storePathOf, storePhysical, type SystemRoots } from "./roots.js";
import { toplevelAt, toplevelVersionInfo } from "./toplevel.js";
import { nixosVersionOutput, type CommandOutput } from "./version-info.js";

/** The store path `/run/current-system` points at (below the root). */
export function currentSystem(roots: SystemRoots): string {
  const p = resolveIntoStore(roots, "/run/current-system");
  const sp = p === null ? null : storePathOf(p);
  if (sp === null) throw new SystemError("there is no current system (/run/current-system does not lead into the store)");
  // A root switched with --store DIR and read without it points into a store that lacks the system.
  if (!fs.existsSync(storePhysical(roots, sp))) {
    throw new SystemError(`the current system ${sp} is not in the store ${storePhysical(roots, STORE_DIR)}; if it lives in another store, give it with --store`);
  }
  return sp;
}

/** What `nixos-version ARGS` prints for the current system, or null if it records no version data. */
export function currentVersionOutput(roots: SystemRoots, args: readonly string[]): CommandOutput | null {
  const info = toplevelVersionInfo(toplevelAt(roots, currentSystem(roots)));
  return info === null ? null : nixosVersionOutput(info, args);
}

/** Runs the current system's own nixos-version (stdio inherited); returns its status. */
export function runSystemNixosVersion(roots: SystemRoots, args: readonly string[]): number {
  return runInRoot(roots, [`${currentSystem(roots)}/sw/bin/nixos-version`, ...args]);
}
