// `nixos-rebuild` for tix systems (spec §7): build (through the SystemBuilder hook) or take a
// system, make it a generation of the system profile, and activate it; rollback; generations.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { switchToConfiguration, type ActivationAction } from "./activation.js";
import { SystemError } from "./errors.js";
import { listGenerations, previousGeneration, profileStorePath, replaceSymlink, rollbackProfile, setProfile } from "./profiles.js";
import { underRoot, type SystemRoots } from "./roots.js";
import { toplevelAttrPath, type SystemBuilder } from "./system-builder.js";
import type { SystemStore } from "./system-store.js";
import {
  checkToplevel,
  toplevelAt,
  toplevelKernelVersion,
  toplevelLabel,
  toplevelSpecialisations,
  toplevelVersionInfo,
} from "./toplevel.js";

export const REBUILD_ACTIONS = ["switch", "boot", "test", "build", "dry-build", "dry-activate"] as const;
export type RebuildAction = (typeof REBUILD_ACTIONS)[number];

export function isRebuildAction(s: string): s is RebuildAction {
  return (REBUILD_ACTIONS as readonly string[]).includes(s);
}

/** `/nix/var/nix/profiles/system`, or `…/system-profiles/NAME` (`-p NAME`), below the root. */
export function systemProfilePath(roots: SystemRoots, profileName?: string | null): string {
  if (profileName) {
    if (!/^[a-zA-Z0-9._-]+$/.test(profileName) || profileName.startsWith(".")) throw new SystemError(`invalid profile name '${profileName}'`);
    return underRoot(roots.root, `/nix/var/nix/profiles/system-profiles/${profileName}`);
  }
  return underRoot(roots.root, "/nix/var/nix/profiles/system");
}

/** Splits `REF#NAME` at the last `#`; an empty NAME is the host name (empty: `default`). */
export function splitFlakeConfigName(flake: string, hostName = os.hostname()): { ref: string; name: string } {
  const i = flake.lastIndexOf("#");
  const ref = i < 0 ? flake : flake.slice(0, i);
  const name = i < 0 ? "" : flake.slice(i + 1);
  return { ref, name: name !== "" ? name : hostName !== "" ? hostName : "default" };
}

export interface RebuildOptions {
  readonly roots: SystemRoots;
  readonly store: SystemStore;
  readonly action: RebuildAction;
  readonly flake?: string | null;
  readonly systemPath?: string | null;
  readonly rollback?: boolean;
  readonly profileName?: string | null;
  readonly nixFlags?: readonly string[];
  readonly installBootloader?: boolean;
  readonly specialisation?: string | null;
  /** Where `build` leaves its link (default `./result`). */
  readonly outLink?: string;
  readonly hostName?: string;
  readonly buildSystem: SystemBuilder;
  readonly message: (line: string) => void;
}

/** The flake to use when none is given: the directory of `/etc/nixos/flake.nix`, if it exists. */
function implicitFlake(roots: SystemRoots): string | null {
  const f = underRoot(roots.root, "/etc/nixos/flake.nix");
  if (!fs.existsSync(f)) return null;
  return path.dirname(fs.realpathSync(f));
}

async function obtainSystem(o: RebuildOptions): Promise<string | null> {
  if (o.flake && o.systemPath) throw new SystemError("--flake and --system-path are mutually exclusive");
  if (o.systemPath) {
    if (o.action === "dry-build") return null;
    return o.store.resolveSystemPath(o.systemPath);
  }
  const flake = o.flake ?? implicitFlake(o.roots);
  if (flake === null) throw new SystemError("no system given: use --flake REF[#NAME] or --system-path PATH");
  const { ref, name } = splitFlakeConfigName(flake, o.hostName);
  o.message("building the system configuration...");
  const out = await o.buildSystem({ flakeRef: ref, attrPath: toplevelAttrPath(name), nixFlags: o.nixFlags ?? [], dryRun: o.action === "dry-build" });
  if (o.action === "dry-build") return null;
  return o.store.resolveSystemPath(out);
}

/** Runs a rebuild; returns the exit status. */
export async function rebuild(o: RebuildOptions): Promise<number> {
  const profile = systemProfilePath(o.roots, o.profileName);
  let system: string | null;
  if (o.rollback) {
    if (o.action === "switch" || o.action === "boot") {
      const { from, to } = rollbackProfile(profile);
      o.message(`switching profile from version ${from ?? 0} to ${to}`);
      system = profileStorePath(profile);
    } else if (o.action === "test" || o.action === "build") {
      system = previousGeneration(profile).storePath;
    } else {
      throw new SystemError(`--rollback is not supported with '${o.action}'`);
    }
  } else {
    system = await obtainSystem(o);
  }
  if (system === null) return 0;
  checkToplevel(o.roots, system);
  if (!o.rollback && (o.action === "switch" || o.action === "boot")) {
    setProfile(profile, system, { onNewLink: (l) => o.store.registerProfileLink(l) });
  }
  if (o.action === "build") {
    const link = path.resolve(o.outLink ?? "result");
    replaceSymlink(system, link);
    o.store.registerProfileLink(link);
    return 0;
  }
  if (o.action === "dry-build") return 0;
  const status = switchToConfiguration({
    roots: o.roots,
    toplevel: system,
    action: o.action as ActivationAction,
    installBootloader: o.installBootloader,
    specialisation: o.action === "switch" || o.action === "test" ? o.specialisation : null,
  });
  if (status !== 0) {
    o.message("warning: error(s) occurred while switching to the new configuration");
    return 1;
  }
  return 0;
}

export interface GenerationRow {
  readonly generation: number;
  readonly date: string;
  readonly nixosVersion: string;
  readonly kernelVersion: string;
  readonly configurationRevision: string;
  readonly specialisations: string[];
  readonly current: boolean;
}

function formatDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The system profile's generations, newest first (`list-generations`). */
export function listSystemGenerations(roots: SystemRoots, profileName?: string | null): GenerationRow[] {
  const profile = systemProfilePath(roots, profileName);
  return listGenerations(profile)
    .reverse()
    .map((g) => {
      const t = toplevelAt(roots, g.storePath);
      let info = null;
      try {
        info = toplevelVersionInfo(t);
      } catch {
        info = null;
      }
      return {
        generation: g.number,
        date: formatDate(g.date),
        nixosVersion: info?.nixosVersion ?? toplevelLabel(t)?.trim() ?? "Unknown",
        kernelVersion: toplevelKernelVersion(t) ?? "Unknown",
        configurationRevision: info?.configurationRevision ?? "Unknown",
        specialisations: toplevelSpecialisations(t),
        current: g.current,
      };
    });
}

/** The table `list-generations` prints without `--json`. */
export function formatGenerationTable(rows: readonly GenerationRow[]): string {
  const header = ["Generation", "Build-date", "NixOS version", "Kernel", "Configuration Revision", "Specialisation", "Current"];
  const cells = rows.map((r) => [
    String(r.generation),
    r.date,
    r.nixosVersion,
    r.kernelVersion,
    r.configurationRevision,
    r.specialisations.join(" ") || "*",
    r.current ? "current" : "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join("  ").trimEnd() + "\n";
  return line(header) + cells.map(line).join("");
}
