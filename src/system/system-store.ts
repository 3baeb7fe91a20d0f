// The store a system layer operation works with: opened lazily (the physical store root may be a
// chroot store), used to check system paths and to register profile links as GC roots.

import * as path from "node:path";
import { addIndirectRoot } from "../store/gc.js";
import { openLocalStore, type LocalStore } from "../store/local-store.js";
import { SystemError } from "./errors.js";
import { storePathOf, type SystemRoots } from "./roots.js";

export class SystemStore {
  private store: LocalStore | null = null;
  constructor(readonly roots: SystemRoots) {}

  get local(): LocalStore {
    this.store ??= openLocalStore(this.roots.storeRoot);
    return this.store;
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }

  /**
   * The store path named by a command-line argument: a store path (or a path below one), a
   * physical path in a chroot store, or a symlink chain (like `./result`) leading there. It must
   * be valid in the store.
   */
  resolveSystemPath(arg: string): string {
    let p = path.resolve(arg);
    const physStore = path.join(this.roots.storeRoot, "nix/store") + "/";
    if (this.roots.storeRoot !== "/" && p.startsWith(physStore)) p = "/nix/store/" + p.slice(physStore.length);
    let sp: string;
    try {
      sp = storePathOf(p) ?? this.local.resolveStorePath(p);
    } catch (e) {
      throw new SystemError((e as Error).message);
    }
    sp = storePathOf(sp) ?? sp;
    if (!this.local.isValid(sp)) throw new SystemError(`path '${sp}' is not valid in the store`);
    return sp;
  }

  /**
   * Makes a new generation link a GC root: profiles below the store's own `profiles` directory
   * already are (through `gcroots/profiles`); others get an indirect root.
   */
  registerProfileLink(link: string): void {
    const profilesDir = path.join(this.local.stateDir, "profiles") + path.sep;
    if (path.resolve(link).startsWith(profilesDir)) return;
    addIndirectRoot(this.local, link);
  }
}
