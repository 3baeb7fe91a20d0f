// A built system (`system.build.toplevel`) as the runtime sees it: the entries the contract in
// README.md requires, and the data tix reads from it without running it.

import * as fs from "node:fs";
import * as path from "node:path";
import { SystemError } from "./errors.js";
import { readFirewallConfig, type FirewallConfig } from "./firewall.js";
import { storePathOf, storePhysical, type SystemRoots } from "./roots.js";
import { parseVersionInfo, type VersionInfo } from "./version-info.js";

/** Entries every system must have (executables). */
export const REQUIRED_ENTRIES = ["init", "activate", "bin/switch-to-configuration"] as const;

export interface Toplevel {
  /** The store path. */
  readonly path: string;
  /** Where it is on disk. */
  readonly physical: string;
  readonly roots: SystemRoots;
}

export function toplevelAt(roots: SystemRoots, storePath: string): Toplevel {
  return { path: storePath, physical: storePhysical(roots, storePath), roots };
}

/** Checks that `storePath` is a store path holding a system; returns it. */
export function checkToplevel(roots: SystemRoots, storePath: string): Toplevel {
  if (storePathOf(storePath) !== storePath) throw new SystemError(`'${storePath}' is not a store path`);
  const t = toplevelAt(roots, storePath);
  if (!fs.existsSync(t.physical)) throw new SystemError(`path '${storePath}' does not exist in the store`);
  for (const e of REQUIRED_ENTRIES) {
    try {
      fs.accessSync(path.join(t.physical, e), fs.constants.X_OK);
    } catch {
      throw new SystemError(`'${storePath}' is not a system: it has no executable '${e}'`);
    }
  }
  return t;
}

function readText(t: Toplevel, entry: string): string | null {
  // Entries may be links to other store paths (e.g. `etc`, `sw`): follow those into the store.
  let p = path.join(t.physical, entry);
  for (let hops = 0; hops < 40; hops++) {
    let target: string;
    try {
      target = fs.readlinkSync(p);
    } catch {
      break;
    }
    p = path.isAbsolute(target) ? (storePathOf(target) !== null ? storePhysical(t.roots, target) : target) : path.resolve(path.dirname(p), target);
  }
  try {
    return fs.readFileSync(p, "utf8");
  } catch {
    return null;
  }
}

/** `$toplevel/nixos-version`: the system's label. */
export function toplevelLabel(t: Toplevel): string | null {
  return readText(t, "nixos-version");
}

export function toplevelVersionInfo(t: Toplevel): VersionInfo | null {
  const text = readText(t, "version-info.json");
  return text === null ? null : parseVersionInfo(text);
}

export function toplevelFirewall(t: Toplevel): FirewallConfig | null {
  return readFirewallConfig(path.join(t.physical, "firewall"));
}

/** Names of the system's services. */
export function toplevelServices(t: Toplevel): string[] {
  try {
    return fs.readdirSync(path.join(t.physical, "services")).sort();
  } catch {
    return [];
  }
}

/** Kernel version of a system with a kernel (`kernel-modules/lib/modules/VERSION`), else null. */
export function toplevelKernelVersion(t: Toplevel): string | null {
  try {
    const mods = fs.readdirSync(path.join(t.physical, "kernel-modules", "lib", "modules"));
    return mods[0] ?? null;
  } catch {
    return null;
  }
}

export function toplevelSpecialisations(t: Toplevel): string[] {
  try {
    return fs.readdirSync(path.join(t.physical, "specialisation")).sort();
  } catch {
    return [];
  }
}
