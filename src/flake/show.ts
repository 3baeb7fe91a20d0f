// `flake show`: the tree of a flake's outputs with Nix's labels (`package 'hello'`, `NixOS
// configuration`, `template: …`, `omitted (use '--all-systems' to show)`), or the same as JSON.

import { EvalError } from "../eval/errors.js";
import { showType } from "../eval/value.js";
import type { AttrCursor } from "./eval-cache.js";
import { FlakeError } from "./errors.js";
import type { JsonValue } from "./json.js";
import { fromBytes } from "./load-flake.js";

export const TREE_CONN = "├───";
export const TREE_LAST = "└───";
export const TREE_LINE = "│   ";
export const TREE_NULL = "    ";

/** Outputs shown as a tree of their attributes, at the top or per system. */
const TOP_SETS = new Set(["defaultPackage", "devShell", "formatter", "nixosConfigurations", "nixosModules", "defaultApp", "templates", "overlays"]);
const PER_SYSTEM_SETS = new Set(["checks", "packages", "devShells", "apps"]);
/** Outputs that are a derivation per system, or a set of them per system. */
const PER_SYSTEM_DRVS = new Set(["defaultPackage", "devShell", "formatter"]);
const PER_SYSTEM_DRV_SETS = new Set(["checks", "packages", "devShells"]);

export interface ShowOptions {
  readonly system: string;
  readonly allSystems: boolean;
  readonly legacy: boolean;
  /** Wrap names and labels in ANSI colours (terminal output). */
  readonly color: boolean;
  /** Receives warnings (JSON mode reports omissions this way). */
  readonly warn: (message: string) => void;
}

export interface ShowResult {
  /** Text lines, starting with the header (the flake URL). */
  readonly lines: string[];
  readonly json: JsonValue;
}

/** The first line of the tree: the flake's URL, in bold on a terminal. */
export function showHeader(url: string, color: boolean): string {
  return color ? `\x1b[1m${url}\x1b[0m` : url;
}

/**
 * Walks the outputs (through the cursor, so the evaluation cache answers when it can); `header`
 * (see showHeader) is the first line.
 */
export function showFlakeOutputs(root: AttrCursor, header: string, opts: ShowOptions): ShowResult {
  const lines: string[] = [];
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[0m` : s);
  const green = (s: string) => (opts.color ? `\x1b[32;1m${s}\x1b[0m` : s);
  const warnC = (s: string) => (opts.color ? `\x1b[35;1m${s}\x1b[0m` : s);

  const visit = (cursor: AttrCursor, attrPath: string[], headerPrefix: string, nextPrefix: string): JsonValue => {
    const j: { [k: string]: JsonValue } = {};
    const p0 = attrPath[0];
    const n = attrPath.length;
    const out = (s: string) => lines.push(s);

    const recurse = (): void => {
      out(headerPrefix);
      const names = cursor.attrNames();
      if (names === undefined) throw new EvalError(`'${attrPath.join(".")}' is not an attribute set`);
      names.forEach((name, i) => {
        const last = i + 1 === names.length;
        const child = cursor.maybeGetAttr(name)!;
        const shown = fromBytes(name);
        const j2 = visit(
          child,
          [...attrPath, shown],
          green(nextPrefix + (last ? TREE_LAST : TREE_CONN)) + bold(shown),
          nextPrefix + (last ? TREE_NULL : TREE_LINE),
        );
        j[shown] = j2;
      });
    };

    const showDerivation = (): void => {
      const nameC = cursor.maybeGetAttr("name");
      const nameS = nameC?.getString();
      const name = nameS === undefined ? "" : fromBytes(typeof nameS === "string" ? nameS : nameS.s);
      const descS = cursor.maybeGetAttr("meta")?.maybeGetAttr("description")?.getString();
      j["type"] = "derivation";
      j["name"] = name;
      if (descS !== undefined) j["description"] = fromBytes(typeof descS === "string" ? descS : descS.s);
      const kind =
        (n === 2 && p0 === "devShell") || (n >= 2 && p0 === "devShells")
          ? "development environment"
          : (n === 3 && p0 === "checks") || (n >= 1 && p0 === "hydraJobs")
            ? "derivation"
            : "package";
      out(`${headerPrefix}: ${kind} '${name}'`);
    };

    const omitted = (why: string): void => {
      out(`${headerPrefix} ${warnC("omitted")} (use '${why}' to show)`);
      opts.warn(`${attrPath.join(".")} omitted (use '${why}' to show)`);
    };

    try {
      if (
        n === 0 ||
        (n === 1 && TOP_SETS.has(p0!)) ||
        ((n === 1 || n === 2) && PER_SYSTEM_SETS.has(p0!))
      ) {
        recurse();
      } else if ((n === 2 && PER_SYSTEM_DRVS.has(p0!)) || (n === 3 && PER_SYSTEM_DRV_SETS.has(p0!))) {
        if (!opts.allSystems && attrPath[1] !== opts.system) omitted("--all-systems");
        else if (cursor.isDerivation()) showDerivation();
        else throw new FlakeError(`expected a derivation`);
      } else if (n > 0 && p0 === "hydraJobs") {
        if (cursor.isDerivation()) showDerivation();
        else recurse();
      } else if (n > 0 && p0 === "legacyPackages") {
        if (n === 1) recurse();
        else if (!opts.legacy) omitted("--legacy");
        else if (!opts.allSystems && attrPath[1] !== opts.system) omitted("--all-systems");
        else if (cursor.isDerivation()) showDerivation();
        else if (n <= 2) recurse();
      } else if ((n === 2 && p0 === "defaultApp") || (n === 3 && p0 === "apps")) {
        if (cursor.typeString() !== "app") throw new FlakeError("not an app definition");
        j["type"] = "app";
        out(`${headerPrefix}: app`);
      } else if ((n === 1 && p0 === "defaultTemplate") || (n === 2 && p0 === "templates")) {
        const dc = cursor.maybeGetAttr("description");
        if (dc === undefined) throw new EvalError(`attribute '${[...attrPath, "description"].join(".")}' does not exist`);
        const d = dc.getString();
        if (d === undefined) throw new EvalError(`'${[...attrPath, "description"].join(".")}' is not a string but ${showType(dc.value())}`);
        const desc = fromBytes(typeof d === "string" ? d : d.s);
        j["type"] = "template";
        j["description"] = desc;
        out(`${headerPrefix}: template: ${bold(desc)}`);
      } else {
        let type = "unknown";
        let label = "unknown";
        if ((n === 1 && p0 === "overlay") || (n === 2 && p0 === "overlays")) [type, label] = ["nixpkgs-overlay", "Nixpkgs overlay"];
        else if (n === 2 && p0 === "nixosConfigurations") [type, label] = ["nixos-configuration", "NixOS configuration"];
        else if ((n === 1 && p0 === "nixosModule") || (n === 2 && p0 === "nixosModules")) [type, label] = ["nixos-module", "NixOS module"];
        j["type"] = type;
        out(`${headerPrefix}: ${warnC(label)}`);
      }
    } catch (e) {
      if (!(n > 0 && p0 === "legacyPackages" && e instanceof EvalError)) {
        // The root is not an attribute: no "… attribute ''" frame for it.
        if (e instanceof EvalError && n > 0) e.addTrace(`while evaluating the flake output attribute '${attrPath.join(".")}'`);
        throw e;
      }
    }
    return j;
  };

  const json = visit(root, [], header, "");
  return { lines, json };
}
