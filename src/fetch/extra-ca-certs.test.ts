// bin/tix keeps NODE_EXTRA_CA_CERTS from Node's start-up and adds the certificates itself when it
// first connects: a download from an HTTPS server whose CA only that file names still succeeds,
// and processes tix starts see the variable as it was.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir } from "../store/test-util.js";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

function openssl(dir: string, ...args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** A CA and a certificate for 127.0.0.1 that it signed. */
function makeCerts(dir: string): void {
  openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=tix test CA");
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1");
  fs.writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
  openssl(dir, "x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf");
}

/** Runs bin/tix without blocking this thread (the server answers from its event loop). */
function tix(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(TIX, args, { env });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("bin/tix trusts NODE_EXTRA_CA_CERTS for downloads without loading it at start", { skip: !hasOpenssl && "openssl is not installed" }, async () => {
  const dir = tempDir("tix-extra-ca-");
  makeCerts(dir);
  const server = https.createServer({ key: fs.readFileSync(path.join(dir, "srv.key")), cert: fs.readFileSync(path.join(dir, "srv.pem")) }, (_req, res) => {
    res.end("hello over TLS\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const base: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: path.join(dir, "cache") };
    delete base["NODE_EXTRA_CA_CERTS"];
    delete base["TIX_EXTRA_CA_CERTS"];
    const fetchExpr = (name: string) => `builtins.readFile (builtins.fetchurl "https://127.0.0.1:${port}/${name}")`;
    const store = ["--store", path.join(dir, "store"), "--impure"];

    const trusted = await tix(["eval", ...store, "--expr", fetchExpr("a")], { ...base, NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem") });
    assert.equal(trusted.status, 0, trusted.stderr);
    assert.equal(trusted.stdout, '"hello over TLS\\n"\n');

    const untrusted = await tix(["eval", ...store, "--expr", fetchExpr("b")], base);
    assert.notEqual(untrusted.status, 0);

    const env = await tix(["eval", "--impure", "--expr", 'builtins.getEnv "NODE_EXTRA_CA_CERTS"'], { ...base, NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem") });
    assert.equal(env.stdout, JSON.stringify(path.join(dir, "ca.pem")) + "\n");
  } finally {
    server.close();
  }
});
