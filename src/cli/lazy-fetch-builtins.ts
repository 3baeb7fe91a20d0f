// The fetch builtins (fetchurl, fetchTarball, fetchGit, fetchTree) for evaluations outside flake
// commands: always there, as in Nix, also for files an expression imports; the local store and
// the download cache are opened only when one of them first runs.
import type { RegisterBuiltins } from "../eval/builtins/registry.js";
import { makeFetchBuiltins, makeFetchContext, type FetchContext } from "../fetch/index.js";
import type { LocalStore } from "../store/local-store.js";

/** The fetch builtins over the context `open` gives when a fetch first needs one. */
export function lazyFetchBuiltins(open: () => FetchContext): RegisterBuiltins {
  let ctx: FetchContext | undefined;
  return makeFetchBuiltins(() => (ctx ??= open()));
}

/** The fetch builtins over a plain fetch context for the local store `openStore` opens. */
export function lazyStoreFetchBuiltins(openStore: () => LocalStore): RegisterBuiltins {
  return lazyFetchBuiltins(() => makeFetchContext(openStore()));
}
