// The `path` input type: a local file or directory copied into the store as it is; its lock records
// the NAR hash and the newest modification time in the tree (as Nix does).

import * as fs from "node:fs";
import type { FetchContext, FetchedTree, InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";
import { addTreeToStore, checkAttrNames, formatDate, getInt, getStr, requireStr, sortAttrs } from "./util.js";

export const PATH_ATTRS = ["path", "narHash", "lastModified", "rev", "revCount", "name", "dir"];

export function fetchPath(ctx: FetchContext, attrs: InputAttrs): FetchedTree {
  checkAttrNames(attrs, "path", PATH_ATTRS);
  const p = requireStr(attrs, "path");
  if (!p.startsWith("/")) throw new FetchError(`path '${p}' is not absolute`);
  if (!fs.existsSync(p)) throw new FetchError(`path '${p}' does not exist`);
  const added = addTreeToStore(ctx, p, getStr(attrs, "name") ?? "source", undefined, ctx.observeLocalTree?.(p));
  // The newest modification time comes from the copy's own walk of the tree.
  const lastModified = getInt(attrs, "lastModified") ?? added.newestMtime;
  const rev = getStr(attrs, "rev");
  return {
    storePath: added.storePath,
    narHash: added.narHash,
    locked: sortAttrs({ ...attrs, lastModified, narHash: added.narHash }),
    lastModified,
    lastModifiedDate: formatDate(lastModified),
    rev,
    shortRev: rev?.slice(0, 7),
    revCount: getInt(attrs, "revCount"),
  };
}
