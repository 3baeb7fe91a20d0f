// Where a flake's flake.nix really is: a symbolic link is followed (the file is evaluated where
// it leads, so its relative paths are relative to there), and, as in Nix, it must stay inside
// the flake's source tree, or the flake would depend on files outside its inputs.

import { SymlinkResolver } from "../eval/canonical-path.js";
import type { EvalIO } from "../eval/state.js";
import { FlakeError } from "./errors.js";

/**
 * `flakeFile` and `treeStorePath` are byte strings (logical store paths); `describe` names the
 * flake for the error. Returns the file to evaluate.
 */
export function realFlakeFile(io: EvalIO, storeDir: string, treeStorePath: string, flakeFile: string, describe: () => string): string {
  const real = new SymlinkResolver(io, [storeDir]).resolve(flakeFile) ?? flakeFile;
  if (!real.startsWith(treeStorePath + "/")) throw new FlakeError(`'flake.nix' file of ${describe()} escapes from '${treeStorePath}'`);
  return real;
}
