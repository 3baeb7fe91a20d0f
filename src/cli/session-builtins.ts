// The fetch builtins (fetchurl, fetchTarball, fetchGit, fetchTree) and builtins.getFlake for
// evaluations outside flake commands (`tix eval --expr/--file`, `tix instantiate`): always there,
// as in Nix with flakes enabled, also for files an expression imports. The flake session they
// work through (its store, download cache and registries) opens only when one of them first runs.
import type { RegisterBuiltins } from "../eval/builtins/registry.js";
import { makeFetchBuiltins } from "../fetch/index.js";
import { flakeBuiltins } from "../flake/get-flake-builtin.js";
import type { FlakeSession } from "../flake/session.js";

/** The fetch builtins and getFlake over the flake session `session` opens on first use. */
export function sessionBuiltins(session: () => FlakeSession): RegisterBuiltins[] {
  return [makeFetchBuiltins(() => session().env.fetchContext), flakeBuiltins(session)];
}
