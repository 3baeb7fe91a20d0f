// Flake installables (`flakeref#attrpath^outputs`) and Nix's default attribute search: an empty
// fragment tries the command's defaults (`packages.<system>.default`, …), a fragment is tried under
// the command's prefixes (`packages.<system>.`, `legacyPackages.<system>.`, then as is), and a
// fragment starting with `.` is taken literally.

import { FlakeError } from "./errors.js";
import type { AttrCursor } from "./eval-cache.js";
import type { FlakeRef } from "./flake-ref.js";
import { flakeRefToString } from "./flake-ref.js";
import { parseAttrPath, showAttrPath } from "./attr-path.js";
import type { FlakeSession } from "./session.js";
import { Suggestions } from "./suggestions.js";
import { NixString, Thunk, type Value } from "../eval/value.js";

/** Which command's defaults apply. */
export type InstallableKind = "build" | "run" | "develop" | "eval" | "bundle";

export interface AttrSearch {
  /** Tried in order when the fragment is empty. */
  readonly defaults: readonly string[][];
  /** Prepended in order to a non-empty fragment. */
  readonly prefixes: readonly string[][];
}

/** Nix's defaults for each kind of command. */
export function defaultAttrSearch(kind: InstallableKind, system: string): AttrSearch {
  const build: AttrSearch = {
    defaults: [["packages", system, "default"], ["defaultPackage", system]],
    prefixes: [["packages", system], ["legacyPackages", system], []],
  };
  switch (kind) {
    case "build":
    case "eval":
      return build;
    case "run":
      return {
        defaults: [["apps", system, "default"], ["defaultApp", system], ...build.defaults],
        prefixes: [["apps", system], ...build.prefixes],
      };
    case "develop":
      return {
        defaults: [["devShells", system, "default"], ["devShell", system], ...build.defaults],
        prefixes: [["devShells", system], ...build.prefixes],
      };
    case "bundle":
      return {
        defaults: [["bundlers", system, "default"], ["defaultBundler", system]],
        prefixes: [["bundlers", system]],
      };
  }
}

export interface ParsedInstallable {
  readonly flakeRef: FlakeRef;
  /** The attribute path text after `#` (percent-decoded), "" when absent. */
  readonly fragment: string;
  /** `^out,dev` (undefined when not given; `["*"]` for all). */
  readonly outputs?: readonly string[];
}

/** Splits `ref#frag^out,dev` and parses the reference (bare paths relative to the session's cwd). */
export function parseInstallable(session: FlakeSession, text: string): ParsedInstallable {
  let rest = text;
  let outputs: string[] | undefined;
  const caret = /\^([a-zA-Z0-9_*,+-]+)$/.exec(rest);
  if (caret !== null) {
    outputs = caret[1]!.split(",");
    rest = rest.slice(0, caret.index);
  }
  const { ref, fragment } = session.parseRef(rest === "" ? "." : rest);
  return { flakeRef: ref, fragment, ...(outputs !== undefined ? { outputs } : {}) };
}

/** The attribute paths to try for a fragment. */
export function candidateAttrPaths(fragment: string, search: AttrSearch): string[][] {
  if (fragment === "") return search.defaults.map((p) => [...p]);
  if (fragment.startsWith(".")) return [parseAttrPath(fragment.slice(1))];
  const p = parseAttrPath(fragment);
  return search.prefixes.map((pre) => [...pre, ...p]);
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`. */
export function showAttrPaths(paths: readonly (readonly string[])[]): string {
  return quoteList(paths.map((p) => showAttrPath(p)));
}

export interface ResolvedInstallable {
  /** The reference as given. */
  readonly flakeRef: FlakeRef;
  /** The locked reference of the flake. */
  readonly lockedRef: FlakeRef;
  /** The attribute path (below `outputs`) that matched. */
  readonly attrPath: readonly string[];
  readonly cursor: AttrCursor;
  /** `^…` outputs, if given. */
  readonly outputs?: readonly string[];
  /** The evaluated value (evaluates on first call). */
  value(): Value;
}

export interface ResolveInstallableOptions {
  readonly kind?: InstallableKind;
  /** Explicit candidate attribute paths (e.g. `nixosConfigurations.<name>`), instead of the defaults. */
  readonly search?: AttrSearch;
  readonly system?: string;
}

/**
 * Resolves an installable: locks its flake, then finds the first candidate attribute path present
 * in the outputs (through the evaluation cache).
 */
export function resolveInstallable(session: FlakeSession, text: string, options: ResolveInstallableOptions = {}): ResolvedInstallable {
  const parsed = parseInstallable(session, text);
  return resolveParsedInstallable(session, parsed, options);
}

export function resolveParsedInstallable(session: FlakeSession, parsed: ParsedInstallable, options: ResolveInstallableOptions = {}): ResolvedInstallable {
  const system = options.system ?? session.system();
  const search = options.search ?? defaultAttrSearch(options.kind ?? "build", system);
  // An unchanged local flake is answered from the evaluation cache without locking it.
  const { cursor: root, lockedRef } = session.outputs(parsed.flakeRef);
  const candidates = candidateAttrPaths(parsed.fragment, search);
  for (const p of candidates) {
    const c = root.findAlongAttrPath(p);
    if (c !== undefined) {
      return {
        flakeRef: parsed.flakeRef,
        lockedRef,
        attrPath: p,
        cursor: c,
        ...(parsed.outputs !== undefined ? { outputs: parsed.outputs } : {}),
        value: () => c.value(),
      };
    }
  }
  // None matched: say which paths were tried (as written) and what is close to the missing names.
  const suggestions = new Suggestions();
  for (const p of candidates) {
    const miss = missingAlong(root, p);
    if (miss !== null) suggestions.add(miss.name, miss.siblings);
  }
  const hint = suggestions.text();
  throw new FlakeError(
    `flake '${flakeRefToString(parsed.flakeRef, { style: session.env.style })}' does not provide attribute ${quoteList(candidateAttrPathTexts(parsed.fragment, search))}` +
      (hint === null ? "" : `\n${hint}`),
  );
}

/**
 * Where `p` stops existing below `root`: the missing name and the names beside it (null if it
 * exists after all). Passing through something that is not an attribute set is an error, as in Nix.
 */
function missingAlong(root: AttrCursor, p: readonly string[]): { name: string; siblings: readonly string[] } | null {
  let cur = root;
  for (const name of p) {
    const next = cur.maybeGetAttr(name);
    if (next === undefined) {
      const siblings = cur.attrNames();
      if (siblings === undefined) throw new FlakeError(`'${cur.attrPath.join(".")}' is not an attribute set`);
      return { name, siblings };
    }
    cur = next;
  }
  return null;
}

/** The attribute paths tried for a fragment as Nix names them in errors: the fragment as written. */
function candidateAttrPathTexts(fragment: string, search: AttrSearch): string[] {
  if (fragment === "") return search.defaults.map((p) => showAttrPath(p));
  if (fragment.startsWith(".")) return [fragment.slice(1)];
  return search.prefixes.map((pre) => (pre.length === 0 ? fragment : `${showAttrPath(pre)}.${fragment}`));
}

function quoteList(texts: readonly string[]): string {
  const q = texts.map((t) => `'${t}'`);
  if (q.length <= 1) return q.join("");
  return q.slice(0, -1).join(", ") + " or " + q[q.length - 1];
}

/** A derivation found through an installable: its `.drv` and the outputs wanted. */
export interface InstallableDerivation {
  readonly drvPath: string;
  readonly outputs: readonly string[];
  readonly what: string;
}

/**
 * The derivation an installable denotes (using cached `drvPath`/`outputName` when possible):
 * `^out,dev` selects outputs, `^*` all, otherwise `outputsToInstall` or `outputName`.
 */
export function installableDerivation(r: ResolvedInstallable): InstallableDerivation {
  const what = `${flakeRefToString(r.flakeRef)}#${showAttrPath(r.attrPath)}`;
  if (!r.cursor.isDerivation()) {
    throw new FlakeError(`flake output attribute '${showAttrPath(r.attrPath)}' is not a derivation or path`);
  }
  const drv = r.cursor.maybeGetAttr("drvPath")?.getString();
  if (drv === undefined) throw new FlakeError(`derivation '${what}' lacks a 'drvPath' attribute`);
  const drvPath = typeof drv === "string" ? drv : drv.s;
  let outputs: string[];
  if (r.outputs !== undefined) {
    if (r.outputs.includes("*")) {
      const out = r.cursor.maybeGetAttr("outputs");
      outputs = out === undefined ? ["out"] : listOfStrings(out);
    } else outputs = [...r.outputs];
  } else {
    const meta = r.cursor.maybeGetAttr("meta");
    const oti = meta?.maybeGetAttr("outputsToInstall");
    const fromMeta = oti !== undefined ? listOfStringsOrUndefined(oti) : undefined;
    if (fromMeta !== undefined) outputs = fromMeta;
    else {
      const on = r.cursor.maybeGetAttr("outputName")?.getString();
      outputs = [on === undefined ? "out" : typeof on === "string" ? on : on.s];
    }
  }
  return { drvPath, outputs, what };
}

/** A list of strings through the evaluation cache (an unchanged flake needs no evaluation). */
function listOfStringsOrUndefined(c: AttrCursor): string[] | undefined {
  const cached = c.getListOfStrings();
  if (cached !== undefined) return [...cached];
  const v = c.value();
  if (!Array.isArray(v)) return undefined;
  return listOfStrings(c);
}

function listOfStrings(c: AttrCursor): string[] {
  const v = c.value();
  if (!Array.isArray(v)) throw new FlakeError(`'${showAttrPath(c.attrPath)}' is not a list`);
  return v.map((x) => {
    const s = x instanceof Thunk ? x.force() : x;
    if (typeof s === "string") return s;
    if (s instanceof NixString) return s.s;
    throw new FlakeError(`'${showAttrPath(c.attrPath)}' is not a list of strings`);
  });
}

/** `nixosConfigurations.<name>`, where the name defaults to the host name (`os rebuild --flake`). */
export function nixosConfigurationSearch(hostName: string): AttrSearch {
  return { defaults: [["nixosConfigurations", hostName]], prefixes: [["nixosConfigurations"]] };
}
