// What flake operations need from the outside world: the store, the fetchers, the registries and
// a place for warnings; plus fetching a flake reference into the store once per run.

import * as path from "node:path";
import type { FetchContext, FetchedTree, InputAttrs } from "../fetch/types.js";
import type { LocalStore } from "../store/local-store.js";
import { FlakeError } from "./errors.js";
import { dumpJson, type JsonValue } from "./json.js";
import {
  flakeRefFromAttrs,
  flakeRefToAttrs,
  flakeRefToString,
  withDir,
  type FlakeRef,
} from "./flake-ref.js";
import { resolveFlakeRef, type Registry } from "./registry.js";
import type { UrlStyle } from "./url.js";
import type { Flake } from "./load-flake.js";
import type { LockFlags } from "./lock.js";

/** The fetcher entry point (src/fetch's `fetchTree`), injectable for tests. */
export type FetchTreeFn = (ctx: FetchContext, attrs: InputAttrs) => FetchedTree;

export interface FlakeEnv {
  readonly store: LocalStore;
  readonly fetchContext: FetchContext;
  readonly fetchTree: FetchTreeFn;
  /** The flag, user, system and global registries (read lazily, once). */
  readonly registries: () => readonly Registry[];
  /** Prints `warning: …` (the message has no prefix). */
  readonly warn: (message: string) => void;
  /** Directory relative command-line references are resolved against. */
  readonly cwd: string;
  /** How URLs are printed in messages and metadata. */
  readonly style: UrlStyle;
  /** Trees fetched during this run, by the JSON of the attributes they were fetched with. */
  readonly fetched: Map<string, FetchedTree>;
  /**
   * Applies a top-level flake's `nixConfig` (the trusted part of it) before its inputs are
   * locked; may return lock flags that the settings changed (`commit-lock-file-summary`).
   */
  readonly applyNixConfig?: (flake: Flake) => Partial<LockFlags> | void;
}

function attrsKey(attrs: InputAttrs): string {
  return dumpJson(attrs as JsonValue, -1);
}

/** The attributes a reference is fetched with: everything but `dir`. */
export function fetchAttrsOf(ref: FlakeRef): InputAttrs {
  return flakeRefToAttrs(withDir(ref, undefined));
}

/** Fetches the tree of `ref` (without registry lookup), once per run. */
export function fetchFlakeRef(env: FlakeEnv, ref: FlakeRef): FetchedTree {
  if (ref.type === "indirect") {
    throw new FlakeError(`cannot fetch indirect flake reference '${flakeRefToString(ref, { style: env.style })}'`);
  }
  const attrs = fetchAttrsOf(ref);
  const key = attrsKey(attrs);
  let tree = env.fetched.get(key);
  if (tree === undefined) {
    tree = env.fetchTree(env.fetchContext, attrs);
    env.fetched.set(key, tree);
    env.fetched.set(attrsKey(tree.locked), tree);
  }
  return tree;
}

export interface FetchedFlakeSource {
  /** The reference after registry lookup. */
  readonly resolvedRef: FlakeRef;
  /** The locked reference (with the original `dir`). */
  readonly lockedRef: FlakeRef;
  readonly tree: FetchedTree;
}

/** Resolves `ref` through the registries (when allowed) and fetches it. */
export function fetchOrResolve(env: FlakeEnv, ref: FlakeRef, useRegistries: boolean): FetchedFlakeSource {
  let resolvedRef = ref;
  if (ref.type === "indirect") {
    if (!useRegistries) {
      throw new FlakeError(`'${flakeRefToString(ref, { style: env.style })}' is an indirect flake reference, but registry lookups are not allowed`);
    }
    resolvedRef = resolveFlakeRef(ref, env.registries(), { style: env.style });
  }
  const tree = fetchFlakeRef(env, resolvedRef);
  const lockedRef = withDir(flakeRefFromAttrs(tree.locked as Record<string, string | number | boolean>), resolvedRef.dir);
  return { resolvedRef, lockedRef, tree };
}

/** `/nix/store/…-source/<dir>`: where a flake's files are (logical path). */
export function flakeDirOf(tree: FetchedTree, dir: string | undefined): string {
  return dir === undefined || dir === "" ? tree.storePath : path.posix.join(tree.storePath, dir);
}
