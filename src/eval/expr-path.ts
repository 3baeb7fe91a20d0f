// Which file `import` and `scopedImport` evaluate for a path: as in Nix, a symbolic link at the
// end of the path is followed first (so the imported file's relative paths are relative to where
// the link leads, and a link to a directory imports that directory's default.nix); links earlier
// in the path are left as they are.

import { EvalError } from "./errors.js";
import { canonPath, dirOf } from "./paths.js";
import type { EvalIO } from "./state.js";

/** Links followed at the end of an imported path before giving up (a loop). */
const MAX_LINKS = 1024;

/** The file to evaluate for `path`: final links followed, a directory meaning its default.nix. */
export function resolveExprPath(io: EvalIO, path: string): string {
  let current = path;
  for (let links = 0; io.fileType(current) === "symlink"; links++) {
    if (links === MAX_LINKS) throw new EvalError(`too many symbolic links encountered while traversing the path '${path}'`);
    const target = io.readLink(current);
    current = canonPath(target.startsWith("/") ? target : `${dirOf(current)}/${target}`);
  }
  if (io.fileType(current) === "directory") current = current.replace(/\/$/, "") + "/default.nix";
  return current;
}
