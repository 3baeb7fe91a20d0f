// Where a path really leads once the symbolic links along it are followed, as pure evaluation
// needs to know: a flake's copy in the store may hold a link to a file anywhere, and reading
// through it would make the evaluation depend on files outside its inputs (and cached answers
// stale when they change).

import { canonPath } from "./paths.js";
import type { EvalIO } from "./state.js";

/** Links followed before giving up (as the kernel's ELOOP). */
const MAX_HOPS = 40;

/**
 * Resolves paths through the evaluator's file system, not resolving inside `roots` themselves
 * (the store directory is a logical path whose parents may be anything on this host). Results
 * are remembered: what it is asked about is store contents, which never change.
 */
export class SymlinkResolver {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly io: EvalIO,
    private readonly roots: readonly string[],
  ) {}

  /** `path` (absolute, canonical) with every link along it followed, as far as it exists; undefined after too many links. */
  resolve(path: string): string | undefined {
    return this.resolveWithin(path, 0);
  }

  private resolveWithin(path: string, hops: number): string | undefined {
    if (path === "/" || this.roots.includes(path)) return path;
    const known = this.known.get(path);
    if (known !== undefined) return known;
    const slash = path.lastIndexOf("/");
    const dir = this.resolveWithin(slash <= 0 ? "/" : path.slice(0, slash), hops);
    if (dir === undefined) return undefined;
    const here = (dir === "/" ? "" : dir) + path.slice(slash);
    let result: string | undefined = here;
    if (this.io.fileType(here) === "symlink") {
      if (hops >= MAX_HOPS) return undefined;
      const target = this.io.readLink(here);
      result = this.resolveWithin(canonPath(target.startsWith("/") ? target : `${dir === "/" ? "" : dir}/${target}`), hops + 1);
    }
    if (result !== undefined) this.known.set(path, result);
    return result;
  }
}
