// Store paths: computing `/nix/store/<nix32 hash>-<name>` from a fingerprint (text files, sources,
// fixed outputs, derivation outputs), validating names and splitting paths into their parts.

import { nix32Encode, isNix32 } from "./base32.js";
import { FormatError } from "./errors.js";
import { hashByteString, hashToBase16, type Hash } from "./hash.js";

export const DEFAULT_STORE_DIR = "/nix/store";

/** Length of the nix32 hash part of a store path (20 bytes). */
export const STORE_PATH_HASH_LENGTH = 32;

export const MAX_STORE_PATH_NAME_LENGTH = 211;

/** How file contents are turned into a hash: the bytes of one file, or the NAR of a tree. */
export type FileIngestionMethod = "flat" | "recursive";

export interface StorePathParts {
  readonly storeDir: string;
  /** The 32 nix32 characters. */
  readonly hashPart: string;
  readonly name: string;
}

/** XOR-folds `bytes` into `size` bytes (byte i goes to position i mod size). */
export function compressHash(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < bytes.length; i++) out[i % size]! ^= bytes[i]!;
  return out;
}

/**
 * The store path for fingerprint `TYPE:sha256:INNERHEX:STOREDIR:NAME`: its sha256, folded to 20
 * bytes and written in nix32, then `-NAME`. `name` is validated.
 */
export function makeStorePath(type: string, innerHashHex: string, name: string, storeDir = DEFAULT_STORE_DIR): string {
  const fingerprint = `${type}:sha256:${innerHashHex}:${storeDir}:${name}`;
  const hashPart = nix32Encode(compressHash(hashByteString("sha256", fingerprint).bytes, 20));
  checkStorePathName(name, hashPart);
  return `${storeDir}/${hashPart}-${name}`;
}

/** `type:ref1:ref2…[:self]` with the references sorted and deduplicated. */
export function makeStorePathType(type: string, references: Iterable<string>, selfReference = false): string {
  let result = type;
  for (const ref of sortedUnique(references)) result += `:${ref}`;
  if (selfReference) result += ":self";
  return result;
}

/** A file whose contents are text (`builtins.toFile`, `.drv` files); `contentsHash` must be sha256. */
export function makeTextPath(
  name: string,
  contentsHash: Hash,
  references: Iterable<string> = [],
  storeDir = DEFAULT_STORE_DIR,
): string {
  requireSha256(contentsHash, "text store paths");
  return makeStorePath(makeStorePathType("text", references), hashToBase16(contentsHash), name, storeDir);
}

/** A tree added by NAR hash (`builtins.path`, `${./dir}`); `narHash` must be sha256. */
export function makeSourcePath(
  name: string,
  narHash: Hash,
  references: Iterable<string> = [],
  storeDir = DEFAULT_STORE_DIR,
  selfReference = false,
): string {
  requireSha256(narHash, "source store paths");
  return makeStorePath(makeStorePathType("source", references, selfReference), hashToBase16(narHash), name, storeDir);
}

/**
 * The path of content with a known hash: recursive sha256 is a source path; anything else (flat, or
 * another algorithm) is `output:out` over `fixed:out:[r:]ALGO:HEX:`, which admits no references.
 */
export function makeFixedOutputPath(
  name: string,
  method: FileIngestionMethod,
  hash: Hash,
  references: Iterable<string> = [],
  storeDir = DEFAULT_STORE_DIR,
  selfReference = false,
): string {
  if (method === "recursive" && hash.algo === "sha256") {
    return makeSourcePath(name, hash, references, storeDir, selfReference);
  }
  if (sortedUnique(references).length > 0 || selfReference) {
    throw new FormatError(`fixed-output path '${name}' (${method} ${hash.algo}) cannot have references`);
  }
  const inner = `fixed:out:${method === "recursive" ? "r:" : ""}${hash.algo}:${hashToBase16(hash)}:`;
  return makeStorePath("output:out", hashToBase16(hashByteString("sha256", inner)), name, storeDir);
}

/** `name` for the `out` output, `name-output` for the others. */
export function outputPathName(drvName: string, outputName: string): string {
  return outputName === "out" ? drvName : `${drvName}-${outputName}`;
}

/** The path of an input-addressed derivation output, from the derivation's hash modulo (hex). */
export function makeOutputPath(outputName: string, drvHashHex: string, drvName: string, storeDir = DEFAULT_STORE_DIR): string {
  return makeStorePath(`output:${outputName}`, drvHashHex, outputPathName(drvName, outputName), storeDir);
}

// ---------------------------------------------------------------------------------------------
// Names

export interface NameCheckOptions {
  /** Nix 2.19 and 2.20 rejected every name starting with '.'; set to reproduce that. */
  readonly rejectLeadingPeriod?: boolean;
}

function isNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2b || // +
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x3f || // ?
    code === 0x3d // =
  );
}

/**
 * Why `name` is not a valid store path name, phrased to follow "store path 'HASH-NAME' " or
 * "name 'NAME' " (e.g. `contains illegal character '~'`), or null when it is valid.
 */
export function storePathNameProblem(name: string, options: NameCheckOptions = {}): string | null {
  if (name.length === 0) return "has an empty name";
  if (name.length > MAX_STORE_PATH_NAME_LENGTH) return `has a name longer than ${MAX_STORE_PATH_NAME_LENGTH} characters`;
  if (name.charCodeAt(0) === 0x2e) {
    // Names may start with '.' (`.bashrc`), but '.' and '..' may not be the first dash-separated
    // component: they would name the store directory itself or its parent.
    if (options.rejectLeadingPeriod) return "starts with illegal character '.'";
    const first = name.split("-", 1)[0];
    if (first === "." || first === "..") {
      return first === name ? `has invalid name '${name}'` : `has invalid name '${name}': first dash-separated component must not be '${first}'`;
    }
  }
  for (let i = 0; i < name.length; i++) {
    if (!isNameChar(name.charCodeAt(i))) return `contains illegal character '${name[i]}'`;
  }
  return null;
}

export function isValidStorePathName(name: string, options?: NameCheckOptions): boolean {
  return storePathNameProblem(name, options) === null;
}

/**
 * Throws `store path 'HASH-NAME' contains illegal character '~'` (and similar) for invalid names.
 * `hashPart` only appears in the message.
 */
export function checkStorePathName(name: string, hashPart?: string, options?: NameCheckOptions): void {
  const problem = storePathNameProblem(name, options);
  if (problem !== null) {
    throw new FormatError(`store path '${hashPart === undefined ? name : `${hashPart}-${name}`}' ${problem}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses a store base name `HASH-NAME` (no directory). */
export function parseStorePathBaseName(baseName: string, storeDir = DEFAULT_STORE_DIR, options?: NameCheckOptions): StorePathParts {
  if (baseName.length < STORE_PATH_HASH_LENGTH + 1) {
    throw new FormatError(`'${baseName}' is too short to be a valid store path`);
  }
  const hashPart = baseName.slice(0, STORE_PATH_HASH_LENGTH);
  for (let i = 0; i < STORE_PATH_HASH_LENGTH; i++) {
    if (!isNix32(hashPart[i]!)) {
      throw new FormatError(`store path '${baseName}' contains illegal base-32 character '${hashPart[i]}'`);
    }
  }
  if (baseName[STORE_PATH_HASH_LENGTH] !== "-") {
    throw new FormatError(`store path '${baseName}' lacks the '-' between its hash and its name`);
  }
  const name = baseName.slice(STORE_PATH_HASH_LENGTH + 1);
  checkStorePathName(name, hashPart, options);
  return { storeDir, hashPart, name };
}

/** Parses `/nix/store/HASH-NAME` exactly (no trailing components). */
export function parseStorePath(path: string, storeDir = DEFAULT_STORE_DIR, options?: NameCheckOptions): StorePathParts {
  if (!path.startsWith(storeDir + "/")) throw new FormatError(`path '${path}' is not in the Nix store`);
  const baseName = path.slice(storeDir.length + 1);
  if (baseName.includes("/")) throw new FormatError(`path '${path}' is not a store path but a path inside one`);
  return parseStorePathBaseName(baseName, storeDir, options);
}

export function isStorePath(path: string, storeDir = DEFAULT_STORE_DIR, options?: NameCheckOptions): boolean {
  try {
    parseStorePath(path, storeDir, options);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits a path inside the store into the store path and the rest:
 * `/nix/store/h-x/bin/sh` ⇒ `{ storePath: "/nix/store/h-x", rest: "/bin/sh" }`.
 */
export function splitStorePath(
  path: string,
  storeDir = DEFAULT_STORE_DIR,
  options?: NameCheckOptions,
): { storePath: string; rest: string; parts: StorePathParts } {
  if (!path.startsWith(storeDir + "/")) throw new FormatError(`path '${path}' is not in the Nix store`);
  const slash = path.indexOf("/", storeDir.length + 1);
  const storePath = slash < 0 ? path : path.slice(0, slash);
  const parts = parseStorePathBaseName(storePath.slice(storeDir.length + 1), storeDir, options);
  return { storePath, rest: slash < 0 ? "" : path.slice(slash), parts };
}

export function printStorePath(parts: StorePathParts): string {
  return `${parts.storeDir}/${parts.hashPart}-${parts.name}`;
}

// ---------------------------------------------------------------------------------------------

function requireSha256(hash: Hash, what: string): void {
  if (hash.algo !== "sha256") throw new FormatError(`${what} need a sha256 hash, not ${hash.algo}`);
}

function sortedUnique(items: Iterable<string>): string[] {
  const sorted = [...new Set(items)].sort();
  return sorted;
}
