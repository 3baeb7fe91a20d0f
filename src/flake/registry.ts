// Flake registries (version 2 JSON: `{"flakes": [{"from", "to", "exact"?}], "version": 2}`) and the
// pure lookup of indirect references (`nixpkgs`, `nixpkgs/branch`) through flag, user, system, global.

import { RegistryError, BadFlakeRef } from "./errors.js";
import { dumpJson, type JsonValue } from "./json.js";
import {
  applyOverrides,
  flakeRefEquals,
  flakeRefFromAttrs,
  flakeRefToAttrs,
  flakeRefToString,
  getRef,
  getRev,
  isDirect,
  withDir,
  withoutRefAndRev,
  type Attrs,
  type FlakeRef,
} from "./flake-ref.js";
import type { UrlStyle } from "./url.js";

/**
 * Where a registry comes from, in lookup order: `--override-flake` flags, the user registry
 * (~/.config/nix/registry.json), the system registry (/etc/nix/registry.json), the global one
 * (the `flake-registry` setting).
 */
export type RegistryType = "flag" | "user" | "system" | "global";

export const REGISTRY_ORDER: readonly RegistryType[] = ["flag", "user", "system", "global"];

export interface RegistryEntry {
  /** Usually an indirect reference (`flake:nixpkgs`, maybe with ref/rev). */
  readonly from: FlakeRef;
  /** The target, without `dir` (kept apart, see `dir`). */
  readonly to: FlakeRef;
  /** The target's `dir`, which replaces the looked-up reference's own `dir`. */
  readonly dir?: string;
  /** Match `from` exactly, instead of also matching it with any ref/rev added. */
  readonly exact: boolean;
}

export interface Registry {
  readonly type: RegistryType;
  readonly entries: RegistryEntry[];
}

export const REGISTRY_VERSION = 2;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function attrsOf(v: unknown, what: string, file: string): Attrs {
  if (!isObject(v)) throw new RegistryError(`flake registry '${file}': '${what}' is not an attribute set`);
  for (const x of Object.values(v)) {
    if (typeof x !== "string" && typeof x !== "number" && typeof x !== "boolean") {
      throw new RegistryError(`flake registry '${file}': '${what}' may only contain strings, integers and Booleans`);
    }
  }
  return v as Attrs;
}

/** Parses registry JSON. `path` is used in messages. */
export function parseRegistry(text: string, type: RegistryType, path = "registry.json"): Registry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RegistryError(`cannot read flake registry '${path}': ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new RegistryError(`flake registry '${path}' is not a JSON object`);
  const version = json["version"];
  if (version !== REGISTRY_VERSION) {
    throw new RegistryError(`flake registry '${path}' has unsupported version ${typeof version === "number" ? version : JSON.stringify(version ?? null)}`);
  }
  const flakes = json["flakes"] ?? [];
  if (!Array.isArray(flakes)) throw new RegistryError(`flake registry '${path}': 'flakes' is not a list`);
  const entries: RegistryEntry[] = [];
  for (const item of flakes) {
    if (!isObject(item)) throw new RegistryError(`flake registry '${path}': an entry is not an object`);
    const toAttrs = { ...attrsOf(item["to"], "to", path) };
    const dir = toAttrs["dir"];
    delete toAttrs["dir"];
    try {
      entries.push({
        from: flakeRefFromAttrs(attrsOf(item["from"], "from", path)),
        to: flakeRefFromAttrs(toAttrs),
        ...(typeof dir === "string" && dir !== "" ? { dir } : {}),
        exact: item["exact"] === true,
      });
    } catch (e) {
      if (e instanceof BadFlakeRef) throw new RegistryError(`cannot read flake registry '${path}': ${e.message}`);
      throw e;
    }
  }
  return { type, entries };
}

/** Registry JSON as `nix registry add/remove/pin` write it (two-space, sorted keys, no final newline). */
export function serializeRegistry(registry: Registry): string {
  const flakes: JsonValue[] = registry.entries.map((e) => {
    const obj: { [k: string]: JsonValue } = {
      from: flakeRefToAttrs(e.from),
      to: flakeRefToAttrs(e.dir !== undefined ? withDir(e.to, e.dir) : e.to),
    };
    if (e.exact) obj["exact"] = true;
    return obj;
  });
  return dumpJson({ flakes, version: REGISTRY_VERSION }, 2);
}

/** Removes every entry whose `from` equals `from` (`nix registry remove`). */
export function removeRegistryEntry(registry: Registry, from: FlakeRef): Registry {
  return { type: registry.type, entries: registry.entries.filter((e) => !flakeRefEquals(e.from, from)) };
}

/**
 * Replaces any entry for `from` by one mapping it to `to` (`nix registry add`); a `dir` on `to`
 * is stored with the target.
 */
export function addRegistryEntry(registry: Registry, from: FlakeRef, to: FlakeRef, exact = false): Registry {
  const rest = removeRegistryEntry(registry, from).entries;
  const entry: RegistryEntry = { from, to: withDir(to, undefined), ...(to.dir !== undefined ? { dir: to.dir } : {}), exact };
  return { type: registry.type, entries: [...rest, entry] };
}

/** `nix registry list` lines: `user   flake:nixpkgs github:NixOS/nixpkgs`. */
export function formatRegistryList(registries: readonly Registry[], style?: UrlStyle): string[] {
  const label: Record<RegistryType, string> = { flag: "flags ", user: "user  ", system: "system", global: "global" };
  const lines: string[] = [];
  for (const r of sortRegistries(registries)) {
    for (const e of r.entries) {
      const to = flakeRefToString(e.to, { style, ...(e.dir !== undefined ? { extraQuery: { dir: e.dir } } : {}) });
      lines.push(`${label[r.type]} ${flakeRefToString(e.from, { style })} ${to}`);
    }
  }
  return lines;
}

/** Registries in lookup order (stable within one type). */
export function sortRegistries(registries: readonly Registry[]): Registry[] {
  return [...registries].sort((a, b) => REGISTRY_ORDER.indexOf(a.type) - REGISTRY_ORDER.indexOf(b.type));
}

/** Whether `entryFrom` matches `input` when not exact: equal, or equal once input's ref/rev are dropped. */
function contains(entryFrom: FlakeRef, input: FlakeRef): boolean {
  return flakeRefEquals(entryFrom, input) || flakeRefEquals(entryFrom, withoutRefAndRev(input));
}

export interface ResolveOptions {
  /** Only consult registries of these types (modern Nix uses flag and global ones for non-root inputs). */
  readonly types?: readonly RegistryType[];
  readonly style?: UrlStyle;
}

/**
 * Resolves `ref` through the registries (in flag, user, system, global order, each in entry
 * order), repeating until the result is direct. A non-exact entry matches the reference with or
 * without its ref/rev, and a ref/rev that the entry's `from` does not fix is carried over to the
 * target (`nixpkgs/nixos-22.05` → `github:NixOS/nixpkgs/nixos-22.05`). The target's `dir`
 * replaces the reference's. Direct references are returned unchanged.
 */
export function resolveFlakeRef(ref: FlakeRef, registries: readonly Registry[], options: ResolveOptions = {}): FlakeRef {
  const ordered = sortRegistries(registries).filter((r) => options.types === undefined || options.types.includes(r.type));
  const subdir = ref.dir;
  let input = withDir(ref, undefined);
  let dir: string | undefined;
  let found = false;
  for (let n = 1; ; n++) {
    if (n > 100) throw new RegistryError(`cycle detected in flake registry for '${flakeRefToString(input, { style: options.style })}'`);
    const next = lookupOnce(input, ordered, options.style);
    if (next === undefined) break;
    input = next.to;
    dir = next.dir;
    found = true;
  }
  if (!isDirect(input)) {
    throw new RegistryError(`cannot find flake '${flakeRefToString(input, { style: options.style })}' in the flake registries`);
  }
  if (!found) return ref;
  return withDir(input, dir ?? subdir);
}

function lookupOnce(input: FlakeRef, registries: readonly Registry[], style?: UrlStyle): { to: FlakeRef; dir: string | undefined } | undefined {
  for (const registry of registries) {
    for (const entry of registry.entries) {
      if (entry.exact) {
        if (flakeRefEquals(entry.from, input)) return { to: entry.to, dir: entry.dir };
      } else if (contains(entry.from, input)) {
        const ref = getRef(entry.from) === undefined ? getRef(input) : undefined;
        const rev = getRev(entry.from) === undefined ? getRev(input) : undefined;
        return { to: applyOverrides(entry.to, { ref, rev }, style), dir: entry.dir };
      }
    }
  }
  return undefined;
}
