// The `tarball` and `file` input types: a downloaded archive unpacked into the store (its single
// top-level directory stripped), or a downloaded file added as is. Unpacked results are cached by content.

import * as fs from "node:fs";
import * as path from "node:path";
import type { FetchContext, FetchedTree, InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";
import { download, type DownloadOptions } from "./download.js";
import { unpackArchive } from "./archive.js";
import {
  addTreeToStore,
  cacheSubdir,
  checkAttrNames,
  formatDate,
  getInt,
  getStr,
  narHashOf,
  readJson,
  requireStr,
  sortAttrs,
  toBytes,
  withTemp,
  writeJson,
} from "./util.js";

export interface DownloadedTree {
  readonly storePath: string;
  readonly narHash: string;
  /** Newest modification time in the archive (0 when unknown). */
  readonly lastModified: number;
  /** The URL the server declared immutable (`Link: <…>; rel="immutable"`), if any. */
  readonly immutableUrl?: string;
}

interface UnpackCache {
  storePath: string;
  lastModified: number;
}

/**
 * Downloads an archive and unpacks it into the store as `name`, stripping its single top-level
 * directory (`tarball '…' contains an unexpected number of top-level files` otherwise).
 */
export function downloadTarball(ctx: FetchContext, url: string, name = "source", opts: DownloadOptions = {}): DownloadedTree {
  const dl = download(ctx, url, opts);
  const cacheFile = path.join(cacheSubdir(ctx, "tarballs"), `${dl.contentHash}-${Buffer.from(name).toString("hex")}.json`);
  const cached = readJson<UnpackCache>(cacheFile);
  if (cached !== null && ctx.store.isValid(cached.storePath)) {
    return { storePath: cached.storePath, narHash: narHashOf(ctx, cached.storePath), lastModified: cached.lastModified, immutableUrl: dl.immutableUrl };
  }
  const result = withTemp("tarball", (tmp) => {
    const dest = path.join(tmp, "unpacked");
    let lastModified: number;
    try {
      lastModified = unpackArchive(dl.file, dest).lastModified;
    } catch (e) {
      if (e instanceof FetchError) throw new FetchError(`unable to unpack '${url}': ${e.message}`);
      throw e;
    }
    const entries = fs.readdirSync(dest);
    if (entries.length !== 1) throw new FetchError(`tarball '${url}' contains an unexpected number of top-level files`);
    const added = addTreeToStore(ctx, path.join(dest, entries[0]), name);
    return { ...added, lastModified };
  });
  writeJson(cacheFile, { storePath: result.storePath, lastModified: result.lastModified } satisfies UnpackCache);
  return { ...result, immutableUrl: dl.immutableUrl };
}

export interface DownloadedFile {
  readonly storePath: string;
  /** SRI sha256 of the NAR of the store path. */
  readonly narHash: string;
}

/** Downloads a file into the store as a flat (content-addressed) file named `name`. */
export function downloadFile(ctx: FetchContext, url: string, name: string, expectedHash?: string): DownloadedFile {
  const dl = download(ctx, url);
  let storePath: string;
  if (expectedHash !== undefined) {
    // The store checks the flat hash; report mismatches in Nix's words.
    try {
      storePath = ctx.store.addPath(toBytes(dl.file), name, { recursive: false, expectedHash });
    } catch (e) {
      const m = /got:\s+(\S+)/.exec((e as Error).message);
      if (m === null) throw e;
      throw new FetchError(`hash mismatch in file downloaded from '${url}':\n  specified: ${expectedHash}\n  got:       ${m[1]}`);
    }
  } else storePath = ctx.store.addFile(toBytes(dl.file), name);
  return { storePath, narHash: narHashOf(ctx, storePath) };
}

export const TARBALL_ATTRS = ["url", "narHash", "name", "lastModified", "rev", "revCount", "unpack", "dir"];

/** `type = "tarball"`. */
export function fetchTarballInput(ctx: FetchContext, attrs: InputAttrs): FetchedTree {
  checkAttrNames(attrs, "tarball", TARBALL_ATTRS);
  const url = requireStr(attrs, "url");
  const r = downloadTarball(ctx, url, getStr(attrs, "name") ?? "source");
  const lastModified = getInt(attrs, "lastModified") ?? (r.lastModified > 0 ? r.lastModified : undefined);
  const locked: Record<string, string | number | boolean> = { ...attrs, narHash: r.narHash };
  if (r.immutableUrl !== undefined) locked.url = r.immutableUrl;
  if (lastModified !== undefined) locked.lastModified = lastModified;
  const rev = getStr(attrs, "rev");
  return {
    storePath: r.storePath,
    narHash: r.narHash,
    locked: sortAttrs(locked),
    lastModified,
    lastModifiedDate: lastModified === undefined ? undefined : formatDate(lastModified),
    rev,
    shortRev: rev?.slice(0, 7),
    revCount: getInt(attrs, "revCount"),
  };
}

/** `type = "file"`: the downloaded file itself, not unpacked. */
export function fetchFileInput(ctx: FetchContext, attrs: InputAttrs): FetchedTree {
  checkAttrNames(attrs, "file", TARBALL_ATTRS);
  const url = requireStr(attrs, "url");
  const r = downloadFile(ctx, url, getStr(attrs, "name") ?? "source");
  const lastModified = getInt(attrs, "lastModified");
  return {
    storePath: r.storePath,
    narHash: r.narHash,
    locked: sortAttrs({ ...attrs, narHash: r.narHash }),
    lastModified,
    lastModifiedDate: lastModified === undefined ? undefined : formatDate(lastModified),
  };
}
