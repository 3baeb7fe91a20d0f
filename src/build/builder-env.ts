// The environment a builder runs with, as Nix sets it: the derivation's attributes, the build
// directory variables, and the files some attributes become (passAsFile, structured attrs).

import { hashByteString, nix32Encode, isFixedOutputDerivation, type Derivation } from "../store/index.js";
import { structuredAttrsFiles } from "./structured-attrs.js";
import type { ReferenceGraphs } from "./reference-graphs.js";

/** The home directory builders get (it must not exist). */
export const HOMELESS = "/homeless-shelter";

export interface BuilderEnvOptions {
  /** The build directory as the builder sees it (`/build` in the sandbox). */
  readonly buildDir: string;
  /** `NIX_BUILD_CORES`. */
  readonly cores: number;
  /** The environment tix runs in (for a fixed-output derivation's `impureEnvVars`). */
  readonly hostEnv?: NodeJS.ProcessEnv;
  /** Output name → store path (default: the derivation's own output paths). */
  readonly outputs?: ReadonlyMap<string, string>;
  /** The store directory (`NIX_STORE`). */
  readonly storeDir?: string;
  /** What `exportReferencesGraph` asked for (see reference-graphs.ts). */
  readonly referenceGraphs?: ReferenceGraphs | null;
}

/** A file to create in the build directory before the builder starts (contents: a byte string). */
export interface BuildDirFile {
  readonly name: string;
  readonly contents: string;
}

export interface BuilderEnv {
  /** Variable → value (byte strings). */
  readonly env: Map<string, string>;
  readonly files: BuildDirFile[];
}

/** `.attr-<nix32 sha256 of the name>`: where a `passAsFile` attribute is written. */
export function passAsFileName(attr: string): string {
  return `.attr-${nix32Encode(hashByteString("sha256", attr).bytes)}`;
}

/** Splits a whitespace-separated attribute (`passAsFile`, `impureEnvVars`, …) into words. */
export function splitWords(s: string | undefined): string[] {
  return s === undefined ? [] : s.split(/[ \t\n\r]+/).filter((w) => w !== "");
}

/** Computes a builder's environment and the files to write into its build directory. */
export function builderEnv(drv: Derivation, opts: BuilderEnvOptions): BuilderEnv {
  const env = new Map<string, string>();
  const files: BuildDirFile[] = [];
  const dir = opts.buildDir;
  env.set("PATH", "/path-not-set");
  env.set("HOME", HOMELESS);
  env.set("NIX_STORE", opts.storeDir ?? "/nix/store");
  env.set("NIX_BUILD_CORES", String(opts.cores));

  const json = drv.env.get("__json");
  if (json === undefined) {
    const passAsFile = new Set(splitWords(drv.env.get("passAsFile")));
    for (const [k, v] of drv.env) {
      if (passAsFile.has(k)) {
        const name = passAsFileName(k);
        files.push({ name, contents: v });
        env.set(`${k}Path`, `${dir}/${name}`);
      } else {
        env.set(k, v);
      }
    }
  }

  for (const [name, contents] of opts.referenceGraphs?.files ?? []) files.push({ name, contents });

  for (const v of ["NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD"]) env.set(v, dir);

  const fixed = isFixedOutputDerivation(drv);
  if (fixed) {
    const host = opts.hostEnv ?? process.env;
    const impure = json === undefined ? splitWords(drv.env.get("impureEnvVars")) : impureVarsFromJson(json);
    for (const name of impure) env.set(name, Buffer.from(host[Buffer.from(name, "latin1").toString("utf8")] ?? "", "utf8").toString("latin1"));
  }
  env.set("NIX_LOG_FD", "2");
  env.set("TERM", "xterm-256color");

  if (json !== undefined) {
    const outputs = opts.outputs ?? new Map([...drv.outputs].map(([n, o]) => [n, o.path]));
    const f = structuredAttrsFiles(json, outputs, opts.referenceGraphs?.json);
    files.push({ name: ".attrs.json", contents: f.json }, { name: ".attrs.sh", contents: f.sh });
    env.set("NIX_ATTRS_JSON_FILE", `${dir}/.attrs.json`);
    env.set("NIX_ATTRS_SH_FILE", `${dir}/.attrs.sh`);
  }
  return { env, files };
}

function impureVarsFromJson(json: string): string[] {
  try {
    const v = (JSON.parse(json) as Record<string, unknown>).impureEnvVars;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
