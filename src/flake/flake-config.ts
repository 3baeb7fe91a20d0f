// A flake's `nixConfig`: which of its settings may be applied. A few harmless ones always are;
// the rest only with `accept-flake-config` or when saved as trusted in trusted-settings.json.
// Otherwise each is ignored with Nix's warning (tix never asks interactively).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { NixConfigValue } from "./load-flake.js";

/** Settings a flake may set without the user's consent (with or without `extra-`). */
const ALWAYS_ALLOWED = new Set([
  "bash-prompt",
  "bash-prompt-prefix",
  "bash-prompt-suffix",
  "flake-registry",
  "commit-lock-file-summary",
  "commit-lockfile-summary",
]);

/** Saved answers: setting name → value as text → trusted or not. */
export type TrustedSettings = ReadonlyMap<string, ReadonlyMap<string, boolean>>;

export interface FlakeConfigOptions {
  readonly acceptFlakeConfig: boolean;
  readonly trusted: TrustedSettings;
  readonly warn: (message: string) => void;
}

/** A setting's value as it would be written in nix.conf (lists space-separated). */
export function nixConfigValueText(v: NixConfigValue): string {
  if (Array.isArray(v)) return v.join(" ");
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

/** The settings of `nixConfig` to apply, in name order, as (name, value text) pairs. */
export function trustedFlakeSettings(nixConfig: ReadonlyMap<string, NixConfigValue>, o: FlakeConfigOptions): [string, string][] {
  const out: [string, string][] = [];
  const names = [...nixConfig.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const value = nixConfigValueText(nixConfig.get(name)!);
    const baseName = name.startsWith("extra-") ? name.slice(6) : name;
    if (!ALWAYS_ALLOWED.has(baseName) && !o.acceptFlakeConfig) {
      const saved = o.trusted.get(name)?.get(value);
      if (saved !== undefined) {
        o.warn(`Using saved setting for '${name} = ${value}' from ~/.local/share/nix/trusted-settings.json.`);
      }
      if (saved !== true) {
        o.warn(`ignoring untrusted flake configuration setting '${name}'`);
        continue;
      }
    }
    out.push([name, value]);
  }
  return out;
}

/** `$XDG_DATA_HOME/nix/trusted-settings.json` (default ~/.local/share). */
export function trustedSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env["XDG_DATA_HOME"];
  const dataDir = xdg !== undefined && xdg !== "" ? xdg : path.join(env["HOME"] ?? os.homedir(), ".local", "share");
  return path.join(dataDir, "nix", "trusted-settings.json");
}

/** Reads the saved answers; a missing or unreadable file means none. */
export function readTrustedSettings(file: string): TrustedSettings {
  const out = new Map<string, Map<string, boolean>>();
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return out;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return out;
  for (const [name, values] of Object.entries(json as Record<string, unknown>)) {
    if (typeof values !== "object" || values === null) continue;
    const m = new Map<string, boolean>();
    for (const [value, ok] of Object.entries(values as Record<string, unknown>)) if (typeof ok === "boolean") m.set(value, ok);
    out.set(name, m);
  }
  return out;
}
