// Where a container's files live (spec §6.1, the layout of NixOS ≥ 22.05), below a system root.

import * as path from "node:path";
import { underRoot, type SystemRoots } from "./roots.js";

export interface ContainerPaths {
  readonly name: string;
  /** `/etc/nixos-containers/NAME.conf`. */
  readonly confFile: string;
  /** `/var/lib/nixos-containers/NAME`: the container's `/`. */
  readonly rootDir: string;
  /** `/nix/var/nix/profiles/per-container/NAME` (the container's `/nix/var/nix/profiles`). */
  readonly profileDir: string;
  /** `PROFILEDIR/system`. */
  readonly profile: string;
  /** `/nix/var/nix/gcroots/per-container/NAME` (the container's `/nix/var/nix/gcroots`). */
  readonly gcrootsDir: string;
  /** `/run/tix-containers/NAME.json`: what the host knows about the running container. */
  readonly runtimeFile: string;
  /** `/var/log/tix-containers/NAME.log`: the console (output of init and services). */
  readonly logFile: string;
}

export interface ContainerDirs {
  readonly confDir: string;
  readonly stateDir: string;
  readonly profilesDir: string;
  readonly gcrootsDir: string;
  readonly runtimeDir: string;
  readonly logDir: string;
  /** `/run/lock/nixos-container`: serialises `create`. */
  readonly lockFile: string;
  /** The hosts file where running containers' names are entered (`/etc/hosts`). */
  readonly hostsFile: string;
}

export function containerDirs(roots: SystemRoots): ContainerDirs {
  const r = (p: string): string => underRoot(roots.root, p);
  return {
    confDir: r("/etc/nixos-containers"),
    stateDir: r("/var/lib/nixos-containers"),
    profilesDir: r("/nix/var/nix/profiles/per-container"),
    gcrootsDir: r("/nix/var/nix/gcroots/per-container"),
    runtimeDir: r("/run/tix-containers"),
    logDir: r("/var/log/tix-containers"),
    lockFile: r("/run/lock/nixos-container"),
    hostsFile: r("/etc/hosts"),
  };
}

export function containerPaths(roots: SystemRoots, name: string): ContainerPaths {
  const d = containerDirs(roots);
  const profileDir = path.join(d.profilesDir, name);
  return {
    name,
    confFile: path.join(d.confDir, `${name}.conf`),
    rootDir: path.join(d.stateDir, name),
    profileDir,
    profile: path.join(profileDir, "system"),
    gcrootsDir: path.join(d.gcrootsDir, name),
    runtimeFile: path.join(d.runtimeDir, `${name}.json`),
    logFile: path.join(d.logDir, `${name}.log`),
  };
}
