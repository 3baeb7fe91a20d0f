// Store derivations: the Derivation type, its ATerm text (`Derive(…)`, as in .drv files), parsing
// it back, hashing modulo fixed-output inputs, output/.drv path computation and JSON renderings.
//
// All strings are byte strings (one JS char per byte, 0–255), like evaluator strings; the ATerm text
// is a byte string too (write it with `Buffer.from(text, "latin1")`).

import { nix32Encode } from "./base32.js";
import { FormatError } from "./errors.js";
import { hashByteString, hashToBase16, parseHashAlgo, parseUnprefixed, type Hash } from "./hash.js";
import {
  DEFAULT_STORE_DIR,
  makeFixedOutputPath,
  makeOutputPath,
  makeTextPath,
  type FileIngestionMethod,
} from "./store-path.js";

export interface DerivationOutput {
  /** Store path; "" while not yet computed. */
  readonly path: string;
  /** "" for input-addressed outputs; else `[r:|text:]ALGO` (`r:sha256`, `sha1`, …). */
  readonly hashAlgo: string;
  /** Expected hash in base-16 for fixed outputs; "" otherwise. */
  readonly hash: string;
}

export interface Derivation {
  /** The derivation name (`name` attribute; the .drv path is NAME.drv). Not part of the ATerm. */
  readonly name: string;
  readonly outputs: ReadonlyMap<string, DerivationOutput>;
  /** Input derivation path → names of the outputs used. */
  readonly inputDrvs: ReadonlyMap<string, readonly string[]>;
  readonly inputSrcs: readonly string[];
  readonly system: string;
  readonly builder: string;
  readonly args: readonly string[];
  readonly env: ReadonlyMap<string, string>;
}

const NOT_BYTE_STRING = /[^\x00-\xff]/;

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedKeys<V>(map: ReadonlyMap<string, V>): string[] {
  return [...map.keys()].sort(byteCompare);
}

function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(byteCompare);
}

// ---------------------------------------------------------------------------------------------
// ATerm serialisation

const ESCAPE_RE = /["\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function atermString(s: string): string {
  return '"' + s.replace(ESCAPE_RE, (c) => ESCAPES[c]!) + '"';
}

function atermList(items: readonly string[]): string {
  return "[" + items.map(atermString).join(",") + "]";
}

/**
 * The ATerm text of `drv` exactly as Nix writes .drv files. With `maskOutputs`, output paths and the
 * env entries named after outputs are written as "" (the form hashed to compute output paths).
 * `inputDrvsOverride` replaces the input derivations (used for hashing modulo).
 */
export function derivationToAterm(
  drv: Derivation,
  maskOutputs = false,
  inputDrvsOverride?: ReadonlyMap<string, readonly string[]>,
): string {
  const parts: string[] = ["Derive(["];
  let first = true;
  for (const name of sortedKeys(drv.outputs)) {
    const o = drv.outputs.get(name)!;
    if (!first) parts.push(",");
    first = false;
    parts.push(
      "(",
      atermString(name),
      ",",
      atermString(maskOutputs ? "" : o.path),
      ",",
      atermString(o.hashAlgo),
      ",",
      atermString(o.hash),
      ")",
    );
  }
  parts.push("],[");
  const inputDrvs = inputDrvsOverride ?? drv.inputDrvs;
  first = true;
  for (const path of sortedKeys(inputDrvs)) {
    if (!first) parts.push(",");
    first = false;
    parts.push("(", atermString(path), ",", atermList(sortedUnique(inputDrvs.get(path)!)), ")");
  }
  parts.push("],", atermList(sortedUnique(drv.inputSrcs)), ",", atermString(drv.system), ",", atermString(drv.builder));
  parts.push(",", atermList(drv.args), ",[");
  first = true;
  for (const key of sortedKeys(drv.env)) {
    if (!first) parts.push(",");
    first = false;
    const value = maskOutputs && drv.outputs.has(key) ? "" : drv.env.get(key)!;
    parts.push("(", atermString(key), ",", atermString(value), ")");
  }
  parts.push("])");
  const text = parts.join("");
  if (NOT_BYTE_STRING.test(text)) {
    throw new FormatError(`derivation '${drv.name}' contains a string that is not a byte string (a char above \\xff)`);
  }
  return text;
}

/** The ATerm as bytes (what a .drv file contains). */
export function derivationToBytes(drv: Derivation): Uint8Array {
  return new Uint8Array(Buffer.from(derivationToAterm(drv), "latin1"));
}

// ---------------------------------------------------------------------------------------------
// ATerm parsing

class AtermParser {
  pos = 0;
  constructor(readonly s: string) {}

  fail(message: string, at = this.pos): never {
    const snippet = this.s.slice(at, at + 20).replace(/\n/g, "\\n");
    throw new FormatError(`malformed derivation: ${message} at byte ${at}${at < this.s.length ? ` (near '${snippet}')` : " (end of input)"}`, at);
  }

  expect(token: string): void {
    if (!this.s.startsWith(token, this.pos)) this.fail(`expected '${token}'`);
    this.pos += token.length;
  }

  /** Consumes `c` if it is next. */
  accept(c: string): boolean {
    if (this.s[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  string(): string {
    if (this.s[this.pos] !== '"') this.fail("expected a string");
    const start = ++this.pos;
    const s = this.s;
    let quote = s.indexOf('"', start);
    let backslash = s.indexOf("\\", start);
    if (quote < 0) this.fail("unterminated string", start - 1);
    if (backslash < 0 || backslash > quote) {
      this.pos = quote + 1;
      return s.slice(start, quote);
    }
    let out = "";
    let segment = start;
    for (;;) {
      if (quote < 0) this.fail("unterminated string", start - 1);
      if (backslash >= 0 && backslash < quote) {
        if (backslash + 1 >= s.length) this.fail("unterminated string", start - 1);
        const c = s[backslash + 1]!;
        out += s.slice(segment, backslash) + (c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c);
        segment = backslash + 2;
        backslash = s.indexOf("\\", segment);
        if (quote < segment) quote = s.indexOf('"', segment);
      } else {
        out += s.slice(segment, quote);
        this.pos = quote + 1;
        return out;
      }
    }
  }

  /** `[` item (`,` item)* `]` */
  list<T>(item: () => T): T[] {
    this.expect("[");
    const items: T[] = [];
    if (this.accept("]")) return items;
    do items.push(item());
    while (this.accept(","));
    this.expect("]");
    return items;
  }
}

export interface ParseDerivationOptions {
  /** The derivation name; defaults to the `name` env entry (or "" if there is none). */
  readonly name?: string;
}

/** Parses the ATerm text of a .drv file (bytes, or a byte string). */
export function parseDerivation(text: string | Uint8Array, options: ParseDerivationOptions = {}): Derivation {
  const s = typeof text === "string" ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString("latin1");
  const p = new AtermParser(s);
  if (s.startsWith("DrvWithVersion(")) p.fail("versioned derivations (dynamic derivations) are not supported");
  p.expect("Derive(");

  const outputs = new Map<string, DerivationOutput>();
  p.list(() => {
    const at = p.pos;
    p.expect("(");
    const name = p.string();
    p.expect(",");
    const path = p.string();
    p.expect(",");
    const hashAlgo = p.string();
    p.expect(",");
    const hash = p.string();
    p.expect(")");
    if (outputs.has(name)) p.fail(`duplicate output '${name}'`, at);
    outputs.set(name, { path, hashAlgo, hash });
  });
  p.expect(",");

  const inputDrvs = new Map<string, string[]>();
  p.list(() => {
    const at = p.pos;
    p.expect("(");
    const path = p.string();
    p.expect(",");
    const names = p.list(() => p.string());
    p.expect(")");
    if (inputDrvs.has(path)) p.fail(`duplicate input derivation '${path}'`, at);
    inputDrvs.set(path, names);
  });
  p.expect(",");
  const inputSrcs = p.list(() => p.string());
  p.expect(",");
  const system = p.string();
  p.expect(",");
  const builder = p.string();
  p.expect(",");
  const args = p.list(() => p.string());
  p.expect(",");

  const env = new Map<string, string>();
  p.list(() => {
    const at = p.pos;
    p.expect("(");
    const key = p.string();
    p.expect(",");
    const value = p.string();
    p.expect(")");
    if (env.has(key)) p.fail(`duplicate environment variable '${key}'`, at);
    env.set(key, value);
  });
  p.expect(")");
  if (p.pos !== s.length) p.fail("unexpected data after the derivation");
  if (outputs.size === 0) p.fail("a derivation needs at least one output", 0);

  return { name: options.name ?? env.get("name") ?? "", outputs, inputDrvs, inputSrcs, system, builder, args, env };
}

/** The derivation name of a .drv path: `/nix/store/h-foo.drv` ⇒ `foo`. */
export function derivationNameFromPath(drvPath: string): string {
  const base = drvPath.slice(drvPath.lastIndexOf("/") + 1);
  if (!base.endsWith(".drv") || base.length < 33 + 4 || base[32] !== "-") {
    throw new FormatError(`'${drvPath}' is not the path of a store derivation`);
  }
  return base.slice(33, -4);
}

// ---------------------------------------------------------------------------------------------
// Fixed outputs

export interface FixedOutputInfo {
  readonly method: FileIngestionMethod | "text";
  readonly hash: Hash;
}

/** Splits an output's `hashAlgo`/`hash` strings (`r:sha256` + hex) into method and hash. */
export function parseOutputHash(output: DerivationOutput): FixedOutputInfo {
  let algo = output.hashAlgo;
  let method: FixedOutputInfo["method"] = "flat";
  if (algo.startsWith("r:")) {
    method = "recursive";
    algo = algo.slice(2);
  } else if (algo.startsWith("text:")) {
    method = "text";
    algo = algo.slice(5);
  }
  return { method, hash: parseUnprefixed(output.hash, parseHashAlgo(algo)) };
}

/** The `hashAlgo` string of an output: `r:sha256`, `sha1`, `text:sha256`. */
export function outputHashAlgoString(method: FixedOutputInfo["method"], hash: Hash): string {
  return (method === "recursive" ? "r:" : method === "text" ? "text:" : "") + hash.algo;
}

/** A fixed-output derivation has a single output `out` with an expected hash. */
export function isFixedOutputDerivation(drv: Derivation): boolean {
  if (drv.outputs.size !== 1) return false;
  const out = drv.outputs.get("out");
  return out !== undefined && out.hash !== "";
}

/** Path of a fixed output from its expected hash. */
export function fixedOutputPath(drvName: string, info: FixedOutputInfo, storeDir = DEFAULT_STORE_DIR): string {
  if (info.method === "text") return makeTextPath(drvName, info.hash, [], storeDir);
  return makeFixedOutputPath(drvName, info.method, info.hash, [], storeDir);
}

// ---------------------------------------------------------------------------------------------
// Hashing modulo fixed-output derivations

export type DerivationLookup = (drvPath: string) => Derivation;

/**
 * Computes "hashes modulo": a derivation's sha256 with each input derivation replaced by its own
 * hash modulo, and each fixed-output derivation reduced to `fixed:out:ALGO:HASH:PATH`, so that
 * changing how a fixed output is fetched does not change the paths that depend on it.
 * Hashes of input derivations are memoised per .drv path.
 */
export class DerivationHasher {
  private readonly memo = new Map<string, string>();

  constructor(private readonly lookup: DerivationLookup) {}

  /** Hash modulo (hex) of `drv`; with `maskOutputs` its own output paths are blanked. */
  hashModulo(drv: Derivation, maskOutputs: boolean): string {
    if (isFixedOutputDerivation(drv)) {
      const out = drv.outputs.get("out")!;
      return hashToBase16(hashByteString("sha256", `fixed:out:${out.hashAlgo}:${out.hash}:${out.path}`));
    }
    for (const [name, o] of drv.outputs) {
      if (o.hashAlgo !== "" && o.hash === "") {
        throw new FormatError(`derivation '${drv.name}' has floating content-addressed output '${name}', which is not supported`);
      }
    }
    const replaced = new Map<string, string[]>();
    for (const [path, names] of drv.inputDrvs) {
      const key = this.hashModuloOfPath(path);
      const existing = replaced.get(key);
      replaced.set(key, existing === undefined ? [...names] : [...existing, ...names]);
    }
    return hashToBase16(hashByteString("sha256", derivationToAterm(drv, maskOutputs, replaced)));
  }

  /** Hash modulo (hex) of the derivation stored at `drvPath` (its final, unmasked form). */
  hashModuloOfPath(drvPath: string): string {
    let h = this.memo.get(drvPath);
    if (h === undefined) {
      h = this.hashModulo(this.lookup(drvPath), false);
      this.memo.set(drvPath, h);
    }
    return h;
  }

  /** Records a known hash modulo (e.g. for a derivation just written), skipping the lookup. */
  remember(drvPath: string, hashModuloHex: string): void {
    this.memo.set(drvPath, hashModuloHex);
  }
}

/** One-shot form of `DerivationHasher.hashModulo`. */
export function hashDerivationModulo(drv: Derivation, lookup: DerivationLookup, maskOutputs: boolean): string {
  return new DerivationHasher(lookup).hashModulo(drv, maskOutputs);
}

// ---------------------------------------------------------------------------------------------
// Output paths and the .drv path

/**
 * Fills in the output paths of a freshly built derivation, and the env entries named after the
 * outputs: fixed outputs get the path of their hash, input-addressed ones `output:NAME` paths over
 * the masked derivation's hash modulo. Existing output paths are ignored (recomputed).
 */
export function fillInOutputPaths(drv: Derivation, hasher: DerivationHasher, storeDir = DEFAULT_STORE_DIR): Derivation {
  const env = new Map(drv.env);
  const outputs = new Map<string, DerivationOutput>();
  if (isFixedOutputDerivation(drv)) {
    const out = drv.outputs.get("out")!;
    const path = fixedOutputPath(drv.name, parseOutputHash(out), storeDir);
    outputs.set("out", { ...out, path });
    env.set("out", path);
    return { ...drv, outputs, env };
  }
  for (const name of drv.outputs.keys()) env.set(name, "");
  const hashHex = hasher.hashModulo({ ...drv, env }, true);
  for (const [name, o] of drv.outputs) {
    const path = makeOutputPath(name, hashHex, drv.name, storeDir);
    outputs.set(name, { ...o, path });
    env.set(name, path);
  }
  return { ...drv, outputs, env };
}

/** References of the .drv file: its input sources and input derivations. */
export function derivationReferences(drv: Derivation): string[] {
  return sortedUnique([...drv.inputSrcs, ...drv.inputDrvs.keys()]);
}

/** The store path of the .drv file holding `drv` (a text path named NAME.drv). */
export function derivationPath(drv: Derivation, storeDir = DEFAULT_STORE_DIR): string {
  const text = derivationToAterm(drv);
  return makeTextPath(`${drv.name}.drv`, hashByteString("sha256", text), derivationReferences(drv), storeDir);
}

/** `builtins.placeholder`: `/` + nix32(sha256("nix-output:NAME")). */
export function hashPlaceholder(outputName: string): string {
  return "/" + nix32Encode(hashByteString("sha256", `nix-output:${outputName}`).bytes);
}

// ---------------------------------------------------------------------------------------------
// JSON (`nix show-derivation` in 2.8; `nix derivation show` in 2.23–2.31)

/**
 * - "2.8": `nix show-derivation` of Nix 2.8: fields in ATerm order, `hashAlgo` as `r:sha256`,
 *   inputDrvs as lists; control chars other than \n \r \t as \u00XX; bytes passed through raw.
 * - "modern": `nix derivation show` of Nix 2.23–2.31 (JSON format version 2 without the field):
 *   keys sorted, a `name` field, outputs with separate `method` (flat|nar|text) and `hashAlgo`,
 *   inputDrvs as `{ dynamicOutputs: {}, outputs: [...] }`; strings must be UTF-8 (invalid
 *   sequences become U+FFFD).
 */
export type DerivationJsonStyle = "2.8" | "modern";

type JsonValue = string | JsonValue[] | JsonObject;
/** Ordered object: printed in this order. */
type JsonObject = { readonly entries: [string, JsonValue][] };

function object(entries: [string, JsonValue][], sort: boolean): JsonObject {
  return { entries: sort ? entries.sort((a, b) => byteCompare(a[0], b[0])) : entries };
}

function derivationJson(drv: Derivation, style: DerivationJsonStyle): JsonObject {
  const modern = style === "modern";
  const outputs: [string, JsonValue][] = [];
  for (const name of sortedKeys(drv.outputs)) {
    const o = drv.outputs.get(name)!;
    const fields: [string, JsonValue][] = [];
    if (o.path !== "") fields.push(["path", o.path]);
    if (o.hashAlgo !== "") {
      if (modern) {
        const method = o.hashAlgo.startsWith("r:") ? "nar" : o.hashAlgo.startsWith("text:") ? "text" : "flat";
        fields.push(["method", method], ["hashAlgo", o.hashAlgo.replace(/^(r|text):/, "")]);
      } else {
        fields.push(["hashAlgo", o.hashAlgo]);
      }
      if (o.hash !== "") fields.push(["hash", o.hash]);
    }
    outputs.push([name, object(fields, modern)]);
  }
  const inputDrvs: [string, JsonValue][] = sortedKeys(drv.inputDrvs).map((path) => {
    const names = sortedUnique(drv.inputDrvs.get(path)!);
    return [path, modern ? object([["dynamicOutputs", object([], false)], ["outputs", names]], false) : names];
  });
  const env: [string, JsonValue][] = sortedKeys(drv.env).map((k) => [k, drv.env.get(k)!]);
  const fields: [string, JsonValue][] = [
    ["outputs", object(outputs, false)],
    ["inputSrcs", sortedUnique(drv.inputSrcs)],
    ["inputDrvs", object(inputDrvs, false)],
    ["system", drv.system],
    ["builder", drv.builder],
    ["args", [...drv.args]],
    ["env", object(env, false)],
  ];
  if (modern) fields.push(["name", drv.name]);
  return object(fields, modern);
}

const JSON_ESCAPE_RE = /["\\\x00-\x1f]/g;

function jsonString(s: string, style: DerivationJsonStyle): string {
  if (style === "modern" && /[\x80-\xff]/.test(s)) {
    // Re-encode through UTF-8 so the output is valid UTF-8 (as a byte string).
    s = Buffer.from(Buffer.from(s, "latin1").toString("utf8"), "utf8").toString("latin1");
  }
  return (
    '"' +
    s.replace(JSON_ESCAPE_RE, (c) => {
      switch (c) {
        case '"':
          return '\\"';
        case "\\":
          return "\\\\";
        case "\n":
          return "\\n";
        case "\r":
          return "\\r";
        case "\t":
          return "\\t";
        case "\b":
          if (style === "modern") return "\\b";
          break;
        case "\f":
          if (style === "modern") return "\\f";
          break;
      }
      return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    }) +
    '"'
  );
}

function printJson(v: JsonValue, style: DerivationJsonStyle, indent: string): string {
  if (typeof v === "string") return jsonString(v, style);
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[\n" + v.map((x) => inner + printJson(x, style, inner)).join(",\n") + "\n" + indent + "]";
  }
  if (v.entries.length === 0) return "{}";
  return (
    "{\n" +
    v.entries.map(([k, x]) => inner + jsonString(k, style) + ": " + printJson(x, style, inner)).join(",\n") +
    "\n" +
    indent +
    "}"
  );
}

/**
 * The text `nix show-derivation` / `nix derivation show` prints for these derivations (keyed and
 * sorted by .drv path), without the final newline. A byte string: write it with latin1 encoding.
 */
export function showDerivationsJson(derivations: Iterable<readonly [string, Derivation]>, style: DerivationJsonStyle): string {
  const entries: [string, JsonValue][] = [...derivations].map(([path, drv]) => [path, derivationJson(drv, style)]);
  return printJson(object(entries, true), style, "");
}

/** One derivation as a plain JSON-compatible object (strings decoded from UTF-8). */
export function derivationToJsonObject(drv: Derivation, style: DerivationJsonStyle): unknown {
  const convert = (v: JsonValue): unknown => {
    if (typeof v === "string") return Buffer.from(v, "latin1").toString("utf8");
    if (Array.isArray(v)) return v.map(convert);
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries) {
      // defineProperty: an env key like "__proto__" must stay an ordinary property.
      const value = convert(x);
      Object.defineProperty(o, Buffer.from(k, "latin1").toString("utf8"), { value, enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  return convert(derivationJson(drv, style));
}
