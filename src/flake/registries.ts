// Where the flake registries live and how they are read and written: the global one shipped with
// tix (flakes/registry.json), the system one (/etc/nix/registry.json), the user one
// (~/.config/nix/registry.json), and `--override-flake` flags. Each path can be redirected
// through the environment (TIX_GLOBAL_REGISTRY, TIX_SYSTEM_REGISTRY, TIX_USER_REGISTRY).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { RegistryError } from "./errors.js";
import { withAttrs, type FlakeRef } from "./flake-ref.js";
import { parseRegistry, serializeRegistry, type Registry, type RegistryEntry, type RegistryType } from "./registry.js";
import { writeFileAtomic } from "./lock.js";

/** The directory of the tix checkout or installation (holds `flakes/`). */
export function tixInstallDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env["TIX_HOME"];
  if (override !== undefined && override !== "") return override;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, "flakes", "registry.json")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

export interface RegistryPaths {
  readonly global: string;
  readonly system: string;
  readonly user: string;
}

export function registryPaths(env: NodeJS.ProcessEnv = process.env): RegistryPaths {
  const home = env["HOME"] ?? os.homedir();
  const xdg = env["XDG_CONFIG_HOME"];
  const configDir = xdg !== undefined && xdg !== "" ? xdg : path.join(home, ".config");
  return {
    global: env["TIX_GLOBAL_REGISTRY"] ?? path.join(tixInstallDir(env), "flakes", "registry.json"),
    system: env["TIX_SYSTEM_REGISTRY"] ?? "/etc/nix/registry.json",
    user: env["TIX_USER_REGISTRY"] ?? path.join(configDir, "nix", "registry.json"),
  };
}

/** Relative `path` targets (as in the shipped registry) are relative to the registry file. */
function absolutize(entry: RegistryEntry, baseDir: string): RegistryEntry {
  if (entry.to.type === "path" && !entry.to.path.startsWith("/")) {
    return { ...entry, to: withAttrs(entry.to, { path: path.resolve(baseDir, entry.to.path) }) };
  }
  return entry;
}

/** Reads a registry file; a missing file is an empty registry. */
export function readRegistryFile(file: string, type: RegistryType): Registry {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return { type, entries: [] };
    throw new RegistryError(`cannot read flake registry '${file}': ${(e as Error).message}`);
  }
  const reg = parseRegistry(text, type, file);
  return { type, entries: reg.entries.map((e) => absolutize(e, path.dirname(file))) };
}

/** Writes a registry file (creating its directory), as `nix registry add/remove/pin` do. */
export function writeRegistryFile(file: string, registry: Registry): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, serializeRegistry(registry));
}

/** The registries in lookup order: flags (`--override-flake`), user, system, global. */
export function loadRegistries(flagEntries: readonly { from: FlakeRef; to: FlakeRef }[] = [], env: NodeJS.ProcessEnv = process.env): Registry[] {
  const paths = registryPaths(env);
  const flag: Registry = {
    type: "flag",
    entries: flagEntries.map((e) => ({ from: e.from, to: e.to, exact: false })),
  };
  return [flag, readRegistryFile(paths.user, "user"), readRegistryFile(paths.system, "system"), readRegistryFile(paths.global, "global")];
}
