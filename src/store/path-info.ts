// What the store records about a valid path (ValidPathInfo), and content-address assertions
// (`text:sha256:…`, `fixed:[r:]algo:…`) as stored in the database's `ca` column.

import {
  FormatError,
  hashToNix32,
  makeFixedOutputPath,
  makeTextPath,
  parseHash,
  parseHashAlgo,
  type FileIngestionMethod,
  type Hash,
} from "./formats/index.js";

export interface ValidPathInfo {
  /** Logical store path (`/nix/store/HASH-name`). */
  readonly path: string;
  /** sha256 of the path's NAR. */
  readonly narHash: Hash;
  readonly narSize: number;
  /** Store paths this one refers to (possibly itself), sorted. */
  readonly references: readonly string[];
  readonly deriver: string | null;
  /** Seconds since the epoch. */
  readonly registrationTime: number;
  /** Built locally (trusted without signatures). */
  readonly ultimate: boolean;
  readonly sigs: readonly string[];
  /** Content-address assertion, e.g. `fixed:r:sha256:…`, or null for input-addressed paths. */
  readonly ca: string | null;
}

/** A path to register: registration time defaults to now, the flags to false/empty. */
export type NewPathInfo = Omit<ValidPathInfo, "registrationTime" | "ultimate" | "sigs" | "deriver" | "ca" | "references"> & {
  readonly references?: readonly string[];
  readonly deriver?: string | null;
  readonly registrationTime?: number;
  readonly ultimate?: boolean;
  readonly sigs?: readonly string[];
  readonly ca?: string | null;
};

/** How a content-addressed path's contents were hashed. */
export type ContentAddressMethod = "text" | FileIngestionMethod;

export interface ContentAddress {
  readonly method: ContentAddressMethod;
  readonly hash: Hash;
}

/** `text:sha256:<nix32>`, `fixed:sha256:<nix32>` (flat) or `fixed:r:sha256:<nix32>` (recursive). */
export function renderContentAddress(ca: ContentAddress): string {
  const digest = `${ca.hash.algo}:${hashToNix32(ca.hash)}`;
  switch (ca.method) {
    case "text":
      return `text:${digest}`;
    case "flat":
      return `fixed:${digest}`;
    case "recursive":
      return `fixed:r:${digest}`;
  }
}

export function parseContentAddress(s: string): ContentAddress {
  let method: ContentAddressMethod;
  let rest: string;
  if (s.startsWith("text:")) {
    method = "text";
    rest = s.slice(5);
  } else if (s.startsWith("fixed:r:")) {
    method = "recursive";
    rest = s.slice(8);
  } else if (s.startsWith("fixed:")) {
    method = "flat";
    rest = s.slice(6);
  } else {
    throw new FormatError(`content address '${s}' is neither 'text:' nor 'fixed:'`);
  }
  const colon = rest.indexOf(":");
  if (colon < 0) throw new FormatError(`content address '${s}' lacks a hash algorithm`);
  const algo = parseHashAlgo(rest.slice(0, colon));
  const hash = parseHash(rest, algo);
  if (method === "text" && algo !== "sha256") throw new FormatError(`text content address '${s}' must use sha256`);
  return { method, hash };
}

/**
 * The store path that content address `ca` and `references` give a path called `name`. When
 * `selfPath` is known, a reference to it counts as a self-reference rather than an ordinary one.
 */
export function pathOfContentAddress(
  name: string,
  ca: ContentAddress,
  references: readonly string[],
  storeDir: string,
  selfPath?: string,
): string {
  const others = references.filter((r) => r !== selfPath);
  const selfReference = others.length !== references.length;
  if (ca.method === "text") return makeTextPath(name, ca.hash, others, storeDir);
  return makeFixedOutputPath(name, ca.method, ca.hash, others, storeDir, selfReference);
}
