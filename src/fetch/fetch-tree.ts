// Fetching an input by its attributes: dispatch on `type`, reuse of a locked input already in the
// store, and the check of a `narHash` the attributes carry.

import type { FetchContext, FetchedTree, InputAttrs } from "./types.js";
import { FetchError, NarHashMismatch } from "./errors.js";
import { fetchGit } from "./git.js";
import { fetchPath } from "./path.js";
import { fetchFileInput, fetchTarballInput } from "./tarball.js";
import { fetchForge } from "./forges.js";
import { inputToUrl } from "./input-url.js";
import { formatDate, getBool, getInt, getStr, sortAttrs, sourcePathFor, sriOf } from "./util.js";

const FETCHERS: Record<string, (ctx: FetchContext, attrs: InputAttrs) => FetchedTree> = {
  git: fetchGit,
  path: fetchPath,
  tarball: fetchTarballInput,
  file: fetchFileInput,
  github: fetchForge,
  gitlab: fetchForge,
  sourcehut: fetchForge,
};

/** The input types `fetchTree` knows. */
export const INPUT_TYPES: readonly string[] = Object.keys(FETCHERS);

/** Fetches an input into the store. Throws FetchError (NarHashMismatch for a wrong `narHash`). */
export function fetchTree(ctx: FetchContext, attrs: InputAttrs): FetchedTree {
  const type = attrs.type;
  if (type === undefined) throw new FetchError("attribute 'type' is missing in call to 'fetchTree'");
  const fetcher = typeof type === "string" ? FETCHERS[type] : undefined;
  if (fetcher === undefined) throw new FetchError(`input '${inputToUrl(attrs)}' is unsupported`);
  const cached = fromStore(ctx, attrs);
  if (cached !== null) return cached;
  const result = fetcher(ctx, attrs);
  const want = getStr(attrs, "narHash");
  if (want !== undefined) {
    const expected = sriOf(want);
    if (expected !== result.narHash) throw new NarHashMismatch(inputToUrl(attrs), expected, result.narHash);
  }
  return result;
}

/** Whether the attributes pin the input's contents (what pure evaluation requires). */
export function isLockedInput(attrs: InputAttrs): boolean {
  switch (attrs.type) {
    case "git":
    case "github":
    case "gitlab":
    case "sourcehut":
      return typeof attrs.rev === "string";
    case "tarball":
    case "file":
    case "path":
      return typeof attrs.narHash === "string";
    default:
      return false;
  }
}

/** Whether the attributes say everything a fetch would tell, so a valid store path can be reused. */
function hasAllInfo(attrs: InputAttrs): boolean {
  if (typeof attrs.narHash !== "string") return false;
  switch (attrs.type) {
    case "git":
      return (
        typeof attrs.rev === "string" &&
        typeof attrs.lastModified === "number" &&
        (typeof attrs.revCount === "number" || getBool(attrs, "shallow") === true)
      );
    case "github":
    case "gitlab":
    case "sourcehut":
      return typeof attrs.rev === "string" && typeof attrs.lastModified === "number";
    case "tarball":
      return true;
    default:
      // `path` inputs are always copied again (the tree may have changed); `file` inputs are flat.
      return false;
  }
}

/** A locked input whose store path is already valid, described from its attributes alone. */
function fromStore(ctx: FetchContext, attrs: InputAttrs): FetchedTree | null {
  if (!hasAllInfo(attrs)) return null;
  const narHash = sriOf(getStr(attrs, "narHash")!);
  let storePath: string;
  try {
    storePath = sourcePathFor(ctx, narHash, getStr(attrs, "name") ?? "source");
  } catch {
    return null;
  }
  if (!ctx.store.isValid(storePath)) return null;
  const rev = getStr(attrs, "rev");
  const lastModified = getInt(attrs, "lastModified");
  return {
    storePath,
    narHash,
    locked: sortAttrs({ ...attrs, narHash }),
    rev,
    shortRev: rev?.slice(0, 7),
    revCount: getInt(attrs, "revCount"),
    lastModified,
    lastModifiedDate: lastModified === undefined ? undefined : formatDate(lastModified),
    submodules: attrs.type === "git" ? getBool(attrs, "submodules") ?? false : undefined,
  };
}
