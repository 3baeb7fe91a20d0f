// Test support: a static HTTP server on 127.0.0.1 run in a worker thread (the fetchers block the
// test's main thread), with ETags, optional per-file headers and a request log.
//
// The worker serves ROOT and posts its port. A request for
// `/a/b?q=1` is answered with the file `ROOT/a/b@q=1` if present, else `ROOT/a/b`; a sibling
// `FILE.headers.json` adds headers (`{"Link": "…"}`), `FILE.status` sets the status code.

import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";

export interface TestServer {
  readonly url: string;
  readonly root: string;
  /** Requests answered so far (`GET /path?query STATUS`). */
  requests(): string[];
  stop(): void;
}

/** Starts the server in a worker thread; resolves when it listens. */
export async function startTestServer(root: string): Promise<TestServer> {
  const log = path.join(root, "..", `requests-${path.basename(root)}.log`);
  fs.writeFileSync(log, "");
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { root, log } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", (m: number) => resolve(m));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`test server exited (${code})`)));
  });
  worker.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests: () => fs.readFileSync(log, "utf8").split("\n").filter((l) => l !== ""),
    stop: () => void worker.terminate(),
  };
}

function serve(root: string, log: string): void {
  const server = http.createServer((req, res) => {
    // Logged before answering, so a client that got the answer also finds it in the log.
    const reply = (status: number, headers: Record<string, string>, body?: Buffer | string): void => {
      fs.appendFileSync(log, `${req.method} ${req.url} ${status}\n`);
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const u = new URL(req.url ?? "/", "http://localhost");
    const base = path.join(root, decodeURIComponent(u.pathname));
    const candidates = u.search === "" ? [base] : [`${base}@${decodeURIComponent(u.search.slice(1))}`, base];
    const file = candidates.find((f) => f.startsWith(root) && fs.existsSync(f) && fs.statSync(f).isFile());
    if (file === undefined) return reply(404, { "Content-Type": "text/plain" }, "not found\n");
    const body = fs.readFileSync(file);
    const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
    const headers: Record<string, string> = { ETag: etag, "Content-Length": String(body.length) };
    if (fs.existsSync(`${file}.headers.json`)) Object.assign(headers, JSON.parse(fs.readFileSync(`${file}.headers.json`, "utf8")));
    const status = fs.existsSync(`${file}.status`) ? Number(fs.readFileSync(`${file}.status`, "utf8")) : 200;
    if (status === 200 && req.headers["if-none-match"] === etag) return reply(304, { ETag: etag });
    reply(status, headers, body);
  });
  server.listen(0, "127.0.0.1", () => {
    const addr = server.address();
    parentPort!.postMessage(typeof addr === "object" && addr !== null ? addr.port : 0);
  });
}

if (!isMainThread && workerData !== null && typeof workerData === "object" && "log" in workerData) {
  const d = workerData as { root: string; log: string };
  serve(path.resolve(d.root), d.log);
}
