// Synchronous downloads (http, https, file) with a cache in the fetcher cache directory: a cached
// copy is reused for `tarballTtl` seconds, then revalidated with its ETag / Last-Modified.

import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { FetchContext } from "./types.js";
import { FetchError } from "./errors.js";
import { trustExtraCaCerts } from "./extra-ca-certs.js";
import { cacheSubdir, nowSeconds, readJson, sha256Hex, writeJson } from "./util.js";

export interface Downloaded {
  /** Local file holding the content (in the cache, or the file itself for file:// URLs). */
  readonly file: string;
  /** URL after redirects. */
  readonly effectiveUrl: string;
  /** The `Link: <…>; rel="immutable"` URL the server advertised, if any. */
  readonly immutableUrl?: string;
  readonly etag?: string;
  /** sha256 (hex) of the content, an identity for caches keyed by content. */
  readonly contentHash: string;
}

export interface DownloadOptions {
  /** Seconds a cached copy is used without asking the server (default: settings.tarballTtl). */
  readonly ttl?: number;
  /** Extra request headers (e.g. `Accept` for forge APIs). */
  readonly headers?: Readonly<Record<string, string>>;
}

interface CacheMeta {
  url: string;
  effectiveUrl: string;
  etag?: string;
  lastModified?: string;
  immutableUrl?: string;
  contentHash: string;
  /** When the server last confirmed the copy (seconds). */
  time: number;
}

/**
 * Seconds without receiving data after which a download is abandoned. Read when used, not at
 * load: the start-up snapshot would otherwise keep the environment of the build.
 */
function stallTimeout(): number {
  return Number(process.env.TIX_DOWNLOAD_STALL_TIMEOUT ?? 300);
}

function hashFile(file: string): string {
  const h = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest("hex");
}

/** Downloads `url`, using and updating the cache; throws FetchError on failure. */
export function download(ctx: FetchContext, url: string, opts: DownloadOptions = {}): Downloaded {
  if (url.startsWith("file:")) return localFile(url);
  if (!/^https?:\/\//.test(url)) throw new FetchError(`unable to download '${url}': Unsupported protocol`);
  const dir = cacheSubdir(ctx, "downloads");
  const key = sha256Hex(url + (opts.headers === undefined ? "" : JSON.stringify(opts.headers)));
  const metaFile = path.join(dir, `${key}.json`);
  const dataFile = path.join(dir, `${key}.data`);
  const meta = readJson<CacheMeta>(metaFile);
  const haveCopy = meta !== null && meta.url === url && fs.existsSync(dataFile);
  const ttl = opts.ttl ?? ctx.settings.tarballTtl;
  if (haveCopy && (ctx.settings.offline || nowSeconds() - meta.time < ttl)) return fromMeta(meta, dataFile);
  if (ctx.settings.offline) throw new FetchError(`cannot download '${url}' in offline mode`);

  const headers: Record<string, string> = { ...opts.headers };
  if (haveCopy) {
    if (meta.etag !== undefined) headers["If-None-Match"] = meta.etag;
    else if (meta.lastModified !== undefined) headers["If-Modified-Since"] = meta.lastModified;
  }
  const tmp = `${dataFile}.tmp-${process.pid}`;
  let res: ChildResult;
  try {
    ctx.progress?.(`downloading '${url}'`, 0, null);
    res = runDownloader(url, tmp, headers);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (haveCopy) {
      ctx.warn(`${(e as Error).message}; using cached version`);
      return fromMeta(meta, dataFile);
    }
    throw e;
  }
  if (res.status === 304 && haveCopy) {
    const updated = { ...meta, time: nowSeconds() };
    writeJson(metaFile, updated);
    return fromMeta(updated, dataFile);
  }
  if (res.status !== 200) {
    fs.rmSync(tmp, { force: true });
    throw new FetchError(`unable to download '${url}': HTTP error ${res.status}${res.statusText ? ` ('${res.statusText}')` : ""}`);
  }
  fs.renameSync(tmp, dataFile);
  const immutable = res.link === null ? undefined : immutableLink(res.link, res.url || url);
  const newMeta: CacheMeta = {
    url,
    effectiveUrl: res.url || url,
    etag: res.etag ?? undefined,
    lastModified: res.lastModified ?? undefined,
    immutableUrl: immutable,
    contentHash: hashFile(dataFile),
    time: nowSeconds(),
  };
  writeJson(metaFile, newMeta);
  return fromMeta(newMeta, dataFile);
}

function fromMeta(meta: CacheMeta, file: string): Downloaded {
  return {
    file,
    effectiveUrl: meta.effectiveUrl,
    immutableUrl: meta.immutableUrl,
    etag: meta.etag,
    contentHash: meta.contentHash,
  };
}

function localFile(url: string): Downloaded {
  let p: string;
  try {
    p = fileURLToPath(url);
  } catch {
    throw new FetchError(`unable to download '${url}': invalid file:// URL`);
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new FetchError(`unable to download '${url}': Couldn't read a file:// file (37)`);
  }
  if (!st.isFile()) throw new FetchError(`unable to download '${url}': Couldn't read a file:// file (37)`);
  return { file: p, effectiveUrl: url, contentHash: hashFile(p) };
}

/** Fetches a URL into memory (API requests); cached like downloads. */
export function downloadText(ctx: FetchContext, url: string, opts: DownloadOptions = {}): string {
  return fs.readFileSync(download(ctx, url, opts).file, "utf8");
}

/** The target of a `Link: <url>; rel="immutable"` header, resolved against the request URL. */
export function immutableLink(header: string, base: string): string | undefined {
  for (const part of header.split(",")) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m === null) continue;
    if (/(^|;)\s*rel\s*=\s*"?immutable"?\s*(;|$)/.test(m[2])) {
      try {
        return new URL(m[1], base).toString();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The downloading worker. The evaluator is synchronous and node's HTTP client is not, so a worker
// thread does the transfer while this thread blocks in Atomics.wait. The worker stays alive (unref'd)
// for later downloads. Shared memory: [0] state (0 busy, 1 done), [1] result length, [2] progress
// counter (bumped per chunk received), then the result as JSON.

interface ChildResult {
  status: number;
  statusText: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
  link: string | null;
}

const WORKER = `
const fs = require("node:fs");
const { Readable, Writable } = require("node:stream");
const { pipeline } = require("node:stream/promises");
const { parentPort, workerData } = require("node:worker_threads");
const ctl = new Int32Array(workerData, 0, 4);
const out = new Uint8Array(workerData, 16);
function finish(result) {
  let bytes = Buffer.from(JSON.stringify(result));
  if (bytes.length > out.length) bytes = Buffer.from(JSON.stringify({ error: "result too large" }));
  out.set(bytes);
  Atomics.store(ctl, 1, bytes.length);
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}
parentPort.on("message", async (a) => {
  const abort = new AbortController();
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(new Error("no data received for " + a.stall + " seconds")), a.stall * 1000);
  };
  arm();
  let result;
  try {
    const res = await fetch(a.url, { headers: a.headers, redirect: "follow", signal: abort.signal });
    result = { status: res.status, statusText: res.statusText, url: res.url,
      etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified"), link: res.headers.get("link") };
    if (res.status === 200 && res.body !== null) {
      const file = fs.createWriteStream(a.dest);
      const tick = new Writable({
        write(chunk, _enc, cb) { arm(); Atomics.add(ctl, 2, 1); file.write(chunk) ? cb() : file.once("drain", cb); },
        final(cb) { file.end(cb); },
        destroy(err, cb) { file.destroy(); cb(err); },
      });
      await pipeline(Readable.fromWeb(res.body), tick);
    } else {
      if (res.body !== null) await res.body.cancel();
      if (res.status === 200) fs.writeFileSync(a.dest, "");
    }
  } catch (e) {
    const c = e && e.cause;
    result = { error: String((c && (c.message || c.code)) || (e && e.message) || e) };
  }
  clearTimeout(timer);
  finish(result);
});
`;

let worker: { w: Worker; ctl: Int32Array; out: Uint8Array } | null = null;

function getWorker(): { w: Worker; ctl: Int32Array; out: Uint8Array } {
  if (worker !== null) return worker;
  const shared = new SharedArrayBuffer(16 + 256 * 1024);
  // The worker's fetch trusts $TIX_EXTRA_CA_CERTS too (see extra-ca-certs.ts).
  const source = `${WORKER}\n(${trustExtraCaCerts.toString()})(require("node:tls"), fs);\n`;
  const w = new Worker(source, { eval: true, workerData: shared, stdout: false, stderr: false });
  w.unref();
  const cur = { w, ctl: new Int32Array(shared, 0, 4), out: new Uint8Array(shared, 16) };
  w.on("exit", () => {
    if (worker === cur) worker = null;
  });
  worker = cur;
  return cur;
}

function runDownloader(url: string, dest: string, headers: Record<string, string>): ChildResult {
  const { w, ctl, out } = getWorker();
  Atomics.store(ctl, 0, 0);
  w.postMessage({ url, dest, headers, stall: stallTimeout() });
  let progress = Atomics.load(ctl, 2);
  let idleSince = Date.now();
  while (Atomics.load(ctl, 0) === 0) {
    Atomics.wait(ctl, 0, 0, 1000);
    const p = Atomics.load(ctl, 2);
    if (p !== progress) {
      progress = p;
      idleSince = Date.now();
    } else if (Date.now() - idleSince > (stallTimeout() + 30) * 1000) {
      // The worker stopped answering (it has its own stall timeout, so this means it died).
      void w.terminate();
      worker = null;
      throw new FetchError(`unable to download '${url}': the download worker stopped responding`);
    }
  }
  const text = Buffer.from(out.subarray(0, Atomics.load(ctl, 1))).toString("utf8");
  const r = JSON.parse(text) as ChildResult & { error?: string };
  if (r.error !== undefined) throw new FetchError(`unable to download '${url}': ${r.error}`);
  return r;
}
