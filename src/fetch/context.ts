// Building a FetchContext: the default settings (public forge URLs, one-hour TTL) and the default
// cache directory (`$XDG_CACHE_HOME/tix`, else `~/.cache/tix`).

import * as os from "node:os";
import * as path from "node:path";
import type { LocalStore } from "../store/local-store.js";
import type { FetchContext, FetchSettings } from "./types.js";

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  githubApiUrl: "https://api.github.com",
  githubArchiveUrl: "https://github.com",
  gitlabUrl: "https://gitlab.com",
  sourcehutUrl: "https://git.sr.ht",
  allowDirty: true,
  tarballTtl: 3600,
  offline: false,
};

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
  return path.join(base, "tix");
}

export interface FetchContextOptions {
  readonly cacheDir?: string;
  readonly settings?: Partial<FetchSettings>;
  readonly warn?: (message: string) => void;
  readonly progress?: FetchContext["progress"];
}

export function makeFetchContext(store: LocalStore, opts: FetchContextOptions = {}): FetchContext {
  return {
    store,
    cacheDir: opts.cacheDir ?? defaultCacheDir(),
    settings: { ...DEFAULT_FETCH_SETTINGS, ...opts.settings },
    warn: opts.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`)),
    progress: opts.progress,
  };
}
