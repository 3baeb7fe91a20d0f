// The fetchers' contract: an input described by attributes (as in flake.lock "locked"/"original"
// and builtins.fetchTree) is fetched into the store, yielding its locked form and metadata.
import type * as fs from "node:fs";
import type { LocalStore } from "../store/local-store.js";

/** Input attributes: `{ type = "git"; url = "…"; ref = "…"; rev = "…"; … }`. */
export type InputAttrs = Readonly<Record<string, string | number | boolean>>;

export interface FetchedTree {
  /** Where the tree (or file) is in the store. */
  readonly storePath: string;
  /** The input's locked attributes, as written into flake.lock's `locked`. */
  readonly locked: InputAttrs;
  /** SRI sha256 of the NAR of `storePath`. */
  readonly narHash: string;
  readonly rev?: string;
  readonly shortRev?: string;
  readonly revCount?: number;
  readonly lastModified?: number;
  /** `%Y%m%d%H%M%S` in UTC. */
  readonly lastModifiedDate?: string;
  readonly dirtyRev?: string;
  readonly dirtyShortRev?: string;
  readonly submodules?: boolean;
}

export interface FetchSettings {
  /** Base URLs of forges' APIs and archive hosts (tests point them at a local server). */
  readonly githubApiUrl: string;
  readonly githubArchiveUrl: string;
  readonly gitlabUrl: string;
  readonly sourcehutUrl: string;
  /** Refuse dirty git trees (`--no-allow-dirty`). */
  readonly allowDirty: boolean;
  /** Seconds a cached download or ref lookup stays fresh (`tarball-ttl`). */
  readonly tarballTtl: number;
  /** Whether network access may be attempted. */
  readonly offline: boolean;
}

export interface FetchContext {
  readonly store: LocalStore;
  /** Directory for the download cache and fetcher metadata (e.g. ~/.cache/tix). */
  readonly cacheDir: string;
  readonly settings: FetchSettings;
  /** Prints a warning (`warning: Git tree '…' is dirty`). */
  readonly warn: (message: string) => void;
  /** Reports progress of long downloads (what, done, total). */
  readonly progress?: (what: string, done: number, total: number | null) => void;
  /**
   * Asked before a `path:` input's tree at `root` is copied; what it returns is called with every
   * entry's path and own metadata, root first, in the walk that copies it, before the entry is
   * read (a flake session stamps the tree so, see src/flake/source-stamp.ts).
   */
  readonly observeLocalTree?: (root: string) => ((path: string, st: fs.Stats) => void) | undefined;
}
