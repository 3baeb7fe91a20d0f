// Activating a system on a host (`nixos-rebuild`'s last step): its own
// `bin/switch-to-configuration ACTION`, run directly for the real root, or for another root
// directory (`--root DIR`) inside a private mount namespace where DIR is `/` (with the store
// bound in when it lives elsewhere, fresh /proc and /dev, and own pid, uts and ipc namespaces so
// that nothing, not even the host name, leaks out) — like `nixos-enter`.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SystemError } from "./errors.js";
import { exitStatus, requireProgram } from "./exec.js";
import { storePhysical, underRoot, type SystemRoots } from "./roots.js";

export type ActivationAction = "switch" | "boot" | "test" | "dry-activate";

const SYSTEM_PATH_ENV = "/run/current-system/sw/bin:/run/current-system/sw/sbin";

function isRealRoot(roots: SystemRoots): boolean {
  return roots.root === "/" && roots.storeRoot === "/";
}

/**
 * Runs `argv` (a program of a system in the store) as if `roots.root` were `/`, with the
 * caller's stdio; returns its exit status.
 */
export function runInRoot(roots: SystemRoots, argv: readonly string[], env: Record<string, string> = {}): number {
  if (isRealRoot(roots)) {
    const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "inherit", env: { ...process.env, ...env } });
    if (r.error !== undefined) throw new SystemError(`cannot run ${argv[0]}: ${r.error.message}`);
    return exitStatus(r);
  }
  const bwrap = requireProgram("bwrap", "bubblewrap");
  const a = ["--unshare-pid", "--unshare-uts", "--unshare-ipc", "--die-with-parent", "--bind", roots.root, "/"];
  if (roots.storeRoot !== roots.root) {
    fs.mkdirSync(path.join(roots.root, "nix/store"), { recursive: true });
    a.push("--ro-bind", storePhysical(roots, "/nix/store"), "/nix/store");
  }
  a.push("--proc", "/proc", "--dev", "/dev", "--chdir", "/", "--clearenv", "--setenv", "PATH", SYSTEM_PATH_ENV);
  for (const [k, v] of Object.entries(env)) a.push("--setenv", k, v);
  a.push("--", ...argv);
  const r = spawnSync(bwrap, a, { stdio: "inherit" });
  if (r.error !== undefined) throw new SystemError(`cannot run bwrap: ${r.error.message}`);
  return exitStatus(r);
}

export interface ActivationOptions {
  readonly roots: SystemRoots;
  /** The system (store path). */
  readonly toplevel: string;
  readonly action: ActivationAction;
  /** NIXOS_INSTALL_BOOTLOADER=1 (`--install-bootloader`). */
  readonly installBootloader?: boolean;
  /** Activate `specialisation/NAME` of the system instead (switch and test only). */
  readonly specialisation?: string | null;
}

/** Runs the system's switch-to-configuration; returns its exit status. */
export function switchToConfiguration(o: ActivationOptions): number {
  let system = o.toplevel;
  if (o.specialisation) {
    system = `${o.toplevel}/specialisation/${o.specialisation}`;
    if (!fs.existsSync(storePhysical(o.roots, system))) throw new SystemError(`specialisation not found: ${o.specialisation}`);
  }
  if (o.roots.root !== "/") {
    // Installing into a directory: mark it as a system root (what nixos-install does).
    const marker = underRoot(o.roots.root, "/etc/NIXOS");
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    if (!fs.existsSync(marker)) fs.writeFileSync(marker, "");
  }
  const env: Record<string, string> = {};
  if (o.installBootloader) env["NIXOS_INSTALL_BOOTLOADER"] = "1";
  return runInRoot(o.roots, [`${system}/bin/switch-to-configuration`, o.action], env);
}
