// `exportReferencesGraph`: a derivation asks for the closure of some of its inputs, written to a
// file in the build directory (nix-store --register-validity format) or, with structured
// attributes, added to `.attrs.json` as path-info objects.

import type { Derivation, LocalStore, ValidPathInfo } from "../store/index.js";
import { hashToNix32 } from "../store/index.js";
import { BuildError } from "./errors.js";

/** Name → contents: files for plain derivations, raw JSON values for structured ones. */
export interface ReferenceGraphs {
  readonly files: Map<string, string>;
  readonly json: Map<string, string>;
}

const FILE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The requests: name → store paths, from the plain attribute (pairs) or `__json`. */
function requests(drv: Derivation): Map<string, string[]> | null {
  const out = new Map<string, string[]>();
  const json = drv.env.get("__json");
  if (json !== undefined) {
    let spec: unknown;
    try {
      spec = (JSON.parse(Buffer.from(json, "latin1").toString("utf8")) as Record<string, unknown>).exportReferencesGraph;
    } catch {
      return null;
    }
    if (spec === undefined || spec === null || typeof spec !== "object" || Array.isArray(spec)) return null;
    for (const [name, v] of Object.entries(spec as Record<string, unknown>)) {
      const paths = (Array.isArray(v) ? v : [v]).filter((p): p is string => typeof p === "string");
      out.set(Buffer.from(name, "utf8").toString("latin1"), paths.map((p) => Buffer.from(p, "utf8").toString("latin1")));
    }
    return out;
  }
  const words = (drv.env.get("exportReferencesGraph") ?? "").split(/[ \t\n\r]+/).filter((w) => w !== "");
  if (words.length === 0) return null;
  if (words.length % 2 !== 0) throw new BuildError("odd number of tokens in 'exportReferencesGraph'", 1);
  for (let i = 0; i < words.length; i += 2) {
    const name = words[i]!;
    if (!FILE_NAME.test(name)) throw new BuildError(`invalid file name '${name}' in 'exportReferencesGraph'`, 1);
    out.set(name, [...(out.get(name) ?? []), words[i + 1]!]);
  }
  return out;
}

/** The closure of `roots`, plus (for derivations in it) the closures of their valid outputs. */
function exportClosure(store: LocalStore, roots: readonly string[], readDerivation: (p: string) => Derivation): string[] {
  const paths = new Set(store.closure(roots));
  for (const p of [...paths]) {
    if (!p.endsWith(".drv")) continue;
    const outs = [...readDerivation(p).outputs.values()].map((o) => o.path).filter((o) => o !== "" && store.isValid(o));
    for (const q of store.closure(outs)) paths.add(q);
  }
  return [...paths].sort();
}

/** `nix-store --register-validity` text: path, (no) deriver, reference count, references. */
function registration(infos: readonly ValidPathInfo[]): string {
  return infos.map((i) => `${i.path}\n\n${i.references.length}\n${i.references.map((r) => `${r}\n`).join("")}`).join("");
}

/** Path-info objects as Nix puts them in `.attrs.json` (keys sorted, with the closure size). */
function pathInfoJson(store: LocalStore, infos: readonly ValidPathInfo[]): string {
  const items = infos.map((i) => {
    const closureSize = store.closure([i.path]).reduce((n, p) => n + (store.queryPathInfo(p)?.narSize ?? 0), 0);
    const fields: [string, unknown][] = [];
    if (i.ca !== null) fields.push(["ca", i.ca]);
    fields.push(
      ["closureSize", closureSize],
      ["narHash", `${i.narHash.algo}:${hashToNix32(i.narHash)}`],
      ["narSize", i.narSize],
      ["path", i.path],
      ["references", [...i.references].sort()],
    );
    return "{" + fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",") + "}";
  });
  return "[" + items.join(",") + "]";
}

/** Computes what `drv` asks to export; null when it asks for nothing. */
export function exportReferenceGraphs(
  store: LocalStore,
  drv: Derivation,
  inputClosure: ReadonlySet<string>,
  readDerivation: (p: string) => Derivation,
): ReferenceGraphs | null {
  const req = requests(drv);
  if (req === null) return null;
  const result: ReferenceGraphs = { files: new Map(), json: new Map() };
  for (const [name, roots] of req) {
    for (const p of roots) {
      if (!inputClosure.has(p)) {
        throw new BuildError(`cannot export references of path '${p}' because it is not in the input closure of the derivation`, 1);
      }
    }
    const infos = exportClosure(store, roots, readDerivation).map((p) => store.requirePathInfo(p));
    if (drv.env.has("__json")) result.json.set(name, pathInfoJson(store, infos));
    else result.files.set(name, registration(infos));
  }
  return result;
}
