// The forge input types `github`, `gitlab` and `sourcehut`: a branch or tag is resolved to a commit
// through the forge's API, then the commit's archive is downloaded and unpacked like a tarball.

import type { FetchContext, FetchedTree, InputAttrs } from "./types.js";
import { FetchError } from "./errors.js";
import { downloadText } from "./download.js";
import { downloadTarball } from "./tarball.js";
import { checkAttrNames, formatDate, getInt, getStr, isCommitHash, requireStr, sortAttrs } from "./util.js";

export const FORGE_ATTRS = ["owner", "repo", "ref", "rev", "host", "narHash", "lastModified", "dir"];

/** Archives of a commit never change: keep them as long as the cache lives. */
const FOREVER = Number.MAX_SAFE_INTEGER;

interface Forge {
  /** Resolves `ref` (or the default branch when undefined) to a commit hash. */
  resolve(ctx: FetchContext, owner: string, repo: string, ref: string | undefined, host: string | undefined): string;
  archiveUrl(ctx: FetchContext, owner: string, repo: string, rev: string, host: string | undefined): string;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchError(`invalid JSON from '${url}'`);
  }
}

function checkRev(rev: unknown, url: string): string {
  if (typeof rev !== "string" || !isCommitHash(rev)) throw new FetchError(`no commit hash in the answer from '${url}'`);
  return rev;
}

const github: Forge = {
  resolve(ctx, owner, repo, ref, host) {
    const api = host === undefined || host === "github.com" ? trimSlash(ctx.settings.githubApiUrl) : `https://${host}/api/v3`;
    const url = `${api}/repos/${owner}/${repo}/commits/${ref ?? "HEAD"}`;
    const json = parseJson(downloadText(ctx, url, { headers: { Accept: "application/vnd.github.v3+json" } }), url) as { sha?: unknown };
    return checkRev(json.sha, url);
  },
  archiveUrl(ctx, owner, repo, rev, host) {
    const base = host === undefined || host === "github.com" ? trimSlash(ctx.settings.githubArchiveUrl) : `https://${host}`;
    return `${base}/${owner}/${repo}/archive/${rev}.tar.gz`;
  },
};

function gitlabBase(ctx: FetchContext, host: string | undefined): string {
  return host === undefined ? trimSlash(ctx.settings.gitlabUrl) : `https://${host}`;
}

function gitlabProject(owner: string, repo: string): string {
  return `${owner.replace(/\//g, "%2F")}%2F${repo}`;
}

const gitlab: Forge = {
  resolve(ctx, owner, repo, ref, host) {
    const url = `${gitlabBase(ctx, host)}/api/v4/projects/${gitlabProject(owner, repo)}/repository/commits?ref_name=${encodeURIComponent(ref ?? "HEAD")}`;
    const json = parseJson(downloadText(ctx, url), url);
    if (!Array.isArray(json) || json.length === 0) throw new FetchError(`no commits found for '${ref ?? "HEAD"}' at '${url}'`);
    return checkRev((json[0] as { id?: unknown }).id, url);
  },
  archiveUrl(ctx, owner, repo, rev, host) {
    return `${gitlabBase(ctx, host)}/api/v4/projects/${gitlabProject(owner, repo)}/repository/archive.tar.gz?sha=${rev}`;
  },
};

function sourcehutBase(ctx: FetchContext, host: string | undefined): string {
  return host === undefined ? trimSlash(ctx.settings.sourcehutUrl) : `https://${host}`;
}

const sourcehut: Forge = {
  resolve(ctx, owner, repo, ref, host) {
    const base = `${sourcehutBase(ctx, host)}/${owner}/${repo}`;
    let want = ref;
    if (want === undefined) {
      const head = downloadText(ctx, `${base}/HEAD`).trim();
      const m = /^ref: (\S+)$/.exec(head);
      if (m === null) throw new FetchError(`cannot find the default branch of '${base}'`);
      want = m[1];
    }
    const refsUrl = `${base}/info/refs`;
    const refs = new Map<string, string>();
    for (const line of downloadText(ctx, refsUrl).split("\n")) {
      const [hash, name] = line.split("\t");
      if (hash !== undefined && name !== undefined) refs.set(name.trim(), hash.trim());
    }
    const candidates = want.startsWith("refs/") ? [want] : [`refs/heads/${want}`, `refs/tags/${want}^{}`, `refs/tags/${want}`];
    for (const c of candidates) {
      const h = refs.get(c);
      if (h !== undefined) return checkRev(h, refsUrl);
    }
    throw new FetchError(`cannot find ref '${want}' in '${base}'`);
  },
  archiveUrl(ctx, owner, repo, rev, host) {
    return `${sourcehutBase(ctx, host)}/${owner}/${repo}/archive/${rev}.tar.gz`;
  },
};

const FORGES: Record<string, Forge> = { github, gitlab, sourcehut };

export function fetchForge(ctx: FetchContext, attrs: InputAttrs): FetchedTree {
  const type = attrs.type as string;
  const forge = FORGES[type];
  if (forge === undefined) throw new FetchError(`unsupported input type '${type}'`);
  checkAttrNames(attrs, type, FORGE_ATTRS);
  const owner = requireStr(attrs, "owner");
  const repo = requireStr(attrs, "repo");
  const host = getStr(attrs, "host");
  const ref = getStr(attrs, "ref");
  let rev = getStr(attrs, "rev");
  if (rev !== undefined && !isCommitHash(rev)) throw new FetchError(`hash '${rev}' is not a valid Git commit hash`);
  rev ??= forge.resolve(ctx, owner, repo, ref, host);
  const r = downloadTarball(ctx, forge.archiveUrl(ctx, owner, repo, rev, host), "source", { ttl: FOREVER });
  const lastModified = getInt(attrs, "lastModified") ?? r.lastModified;
  const locked: Record<string, string | number | boolean> = { ...attrs, rev, narHash: r.narHash, lastModified };
  delete locked.ref;
  return {
    storePath: r.storePath,
    narHash: r.narHash,
    locked: sortAttrs(locked),
    rev,
    shortRev: rev.slice(0, 7),
    lastModified,
    lastModifiedDate: formatDate(lastModified),
  };
}
