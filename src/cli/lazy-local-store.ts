// The local store of an evaluation that may never need it: `tix eval` copies paths and writes
// `.drv` files like `nix eval`, but an expression that does neither leaves the store untouched
// (no database or directories are created).
import type { AddPathOptions, EvalStore } from "../eval/state.js";
import { DEFAULT_STORE_DIR } from "../store/formats/store-path.js";
import { openLocalStore, type LocalStore } from "../store/local-store.js";
import { realStoreDirOf } from "./store-setup.js";

export class LazyLocalStore implements EvalStore {
  readonly storeDir = DEFAULT_STORE_DIR;
  /** Where the store's paths are on disk (read through by the evaluator before the store opens). */
  readonly realStoreDir: string;
  private store: LocalStore | null = null;

  /** `root` is the store's physical root: "/" for the real /nix, else a chroot store directory. */
  constructor(private readonly root: string) {
    this.realStoreDir = realStoreDirOf(root);
  }

  private open(): LocalStore {
    return (this.store ??= openLocalStore(this.root));
  }

  addPath(p: string, name: string, opts: AddPathOptions): string {
    return this.open().addPath(p, name, opts);
  }
  addText(name: string, text: string, references: readonly string[]): string {
    return this.open().addText(name, text, references);
  }
  isValid(p: string): boolean {
    return this.open().isValid(p);
  }
  readText(p: string): string {
    return this.open().readText(p);
  }
  queryReferences(p: string): readonly string[] {
    return this.open().queryReferences(p);
  }

  /** Closes the store if it was opened (removes this process's temporary roots). */
  close(): void {
    this.store?.close();
    this.store = null;
  }
}
