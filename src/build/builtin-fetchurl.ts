// The `builtin:fetchurl` builder, run inside tix: downloads `url` (http, https or file) to the
// output, optionally unpacking a (possibly xz-compressed) NAR (`unpack`) or making it executable.

import * as fs from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { NarRestorer, type Derivation } from "../store/index.js";
import { trustExtraCaCerts } from "../fetch/extra-ca-certs.js";

export class FetchError extends Error {
  override readonly name = "FetchError";
}

async function download(url: string, signal: AbortSignal | undefined): Promise<Buffer> {
  if (url.startsWith("file://")) {
    try {
      return fs.readFileSync(fileURLToPath(url));
    } catch (e) {
      throw new FetchError(`unable to download '${url}': Couldn't read a file:// file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (!/^https?:\/\//.test(url)) throw new FetchError(`unable to download '${url}': Unsupported protocol`);
  let res: Response;
  // The CommonJS module object itself: fetch reads `connect` from it (a namespace is read-only).
  if (url.startsWith("https:")) trustExtraCaCerts(createRequire(import.meta.url)("node:tls") as typeof import("node:tls"), fs);
  try {
    res = await fetch(url, { redirect: "follow", signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError(`unable to download '${url}': ${cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new FetchError(`unable to download '${url}': HTTP error ${res.status}${res.statusText ? ` ('${res.statusText}')` : ""}`);
  }
  return Buffer.from(await res.arrayBuffer());
}

function unxz(data: Buffer, url: string): Buffer {
  const r = spawnSync("xz", ["-dc"], { input: data, maxBuffer: 1 << 31 >>> 0 });
  if (r.error !== undefined || r.status !== 0) throw new FetchError(`unable to decompress '${url}' (is xz installed?)`);
  return r.stdout;
}

/** Runs `builtin:fetchurl` for `drv`, writing its output at `outLocation` (which must not exist). */
export async function builtinFetchurl(drv: Derivation, outLocation: string, signal?: AbortSignal): Promise<void> {
  const url = drv.env.get("url");
  if (url === undefined) throw new FetchError("attribute 'url' missing");
  // Nix reads it (to decide whether hashed mirrors may be used) and insists on it.
  if (!drv.env.has("outputHashMode")) throw new FetchError("attribute 'outputHashMode' missing");
  const decoded = Buffer.from(url, "latin1").toString("utf8");
  let data = await download(decoded, signal);
  if (drv.env.get("unpack") === "1") {
    if (decoded.endsWith(".xz")) data = unxz(data, decoded);
    const restorer = new NarRestorer(outLocation);
    try {
      restorer.push(data);
      restorer.end();
    } catch (e) {
      throw new FetchError(`bad archive: ${(e as Error).message}`);
    }
  } else {
    fs.writeFileSync(outLocation, data, { mode: 0o644 });
  }
  if (drv.env.get("executable") === "1") fs.chmodSync(outLocation, 0o755);
}
