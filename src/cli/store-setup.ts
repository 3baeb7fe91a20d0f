// Opens the store an evaluation writes to: in read-only evaluation a store that only computes
// paths; otherwise the local store (`--store DIR` for a chroot store, else the real /nix).
import * as path from "node:path";
import type { EvalStore } from "../eval/state.js";
import { DEFAULT_STORE_DIR } from "../store/formats/store-path.js";
import { MemoryStore } from "../store/memory-store.js";
import { openLocalStore, type LocalStore } from "../store/local-store.js";
import { storeRootFromArgs } from "./store.js";

/** The physical root selected by a `--store` value (a directory or `local?root=DIR`); "/" if none. */
export function storeRootFromOption(store: string | null): string {
  return storeRootFromArgs(new Map(store === null ? [] : [["--store", store]]));
}

/** Where the store's paths are on disk for the physical root `root` ("/" for the real /nix). */
export function realStoreDirOf(root: string): string {
  return root === "/" ? DEFAULT_STORE_DIR : path.join(path.resolve(root), DEFAULT_STORE_DIR);
}

/** The local store for `--store` (or the real one); close it when done. */
export function openLocalStoreFromOption(store: string | null): LocalStore {
  return openLocalStore(storeRootFromOption(store));
}

/**
 * The store for an evaluation: a MemoryStore when read-only, else the local store (closed at exit
 * at the latest, which removes this process's temp roots).
 */
export function openStoreForEval(root: string | null, readOnly = true): EvalStore {
  if (readOnly) return new MemoryStore();
  const store = openLocalStoreFromOption(root);
  process.once("exit", () => store.close());
  return store;
}
