// `builtin:fetchurl` derivations: http (a local server) and file:// URLs, flat and recursive
// hashes, `executable`, `unpack` (a NAR), and Nix's errors for failed downloads.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { hashBytes, hashToSri, narHashOfTree, narToBytes, type NarNode } from "../store/index.js";
import { canBuild, ok, tixAsync } from "./build-fixtures.js";

const skip = !canBuild() ? "needs root, bubblewrap and busybox" : false;

const TREE: NarNode = {
  type: "directory",
  entries: new Map<string, NarNode>([
    ["bin", { type: "directory", entries: new Map([["tool", { type: "regular", executable: true, contents: Buffer.from("#!/bin/sh\n") }]]) }],
    ["readme", { type: "regular", executable: false, contents: Buffer.from("hi\n") }],
  ]),
};

test("builtin:fetchurl downloads over http and from files", { skip }, async () => {
  const dir = tempDir("tix-fetch-");
  const hello = Buffer.from("hello world\n");
  const nar = Buffer.from(narToBytes(TREE));
  const server = http.createServer((req, res) => {
    if (req.url === "/hello.txt") res.end(hello);
    else if (req.url === "/tree.nar") res.end(nar);
    else if (req.url === "/moved") res.writeHead(302, { location: "/hello.txt" }).end();
    else res.writeHead(404, "Not Found").end("no");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    fs.writeFileSync(path.join(dir, "local.txt"), hello);
    const fetch = (name: string, url: string, hash: string, mode: string, extra = ""): string =>
      `derivation { name = "${name}"; system = "builtin"; builder = "builtin:fetchurl"; url = "${url}"; outputHash = "${hash}"; outputHashAlgo = "sha256"; outputHashMode = "${mode}"; ${extra} }`;
    const flatHash = hashToSri(hashBytes("sha256", hello));
    const exeHash = hashToSri(narHashOfTree({ type: "regular", executable: true, contents: hello }));
    const treeHash = hashToSri(narHashOfTree(TREE));
    const file = path.join(dir, "f.nix");
    fs.writeFileSync(
      file,
      `{
  flat = ${fetch("hello.txt", `${base}/hello.txt`, flatHash, "flat")};
  redirected = ${fetch("moved.txt", `${base}/moved`, flatHash, "flat")};
  local = ${fetch("local.txt", `file://${dir}/local.txt`, exeHash, "recursive", "executable = true;")};
  unpacked = ${fetch("tree", `${base}/tree.nar`, treeHash, "recursive", "unpack = true;")};
  missing = ${fetch("missing", `${base}/missing`, flatHash, "flat")};
}
`,
    );
    const store = path.join(dir, "store");
    const outs = ok(await tixAsync(["build", "--store", store, "-f", file, "flat", "redirected", "local", "unpacked", "--no-link", "--print-out-paths"]), "build")
      .trim()
      .split("\n");
    const [flat, redirected, local, unpacked] = outs.map((o) => path.join(store, o!));
    assert.deepEqual(fs.readFileSync(flat!), hello);
    assert.deepEqual(fs.readFileSync(redirected!), hello);
    assert.deepEqual(fs.readFileSync(local!), hello);
    assert.equal(fs.statSync(local!).mode & 0o777, 0o555);
    assert.equal(fs.readFileSync(path.join(unpacked!, "readme"), "utf8"), "hi\n");
    assert.equal(fs.statSync(path.join(unpacked!, "bin/tool")).mode & 0o777, 0o555);
    const info = JSON.parse(ok(await tixAsync(["path-info", "--store", store, "--json", outs[0]!]), "path-info")) as Record<string, { ca: string }>;
    assert.match(info[outs[0]!]!.ca, /^fixed:sha256:/);

    const r = await tixAsync(["build", "--store", store, "-f", file, "missing", "--no-link"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /> error: unable to download 'http:\/\/127\.0\.0\.1:\d+\/missing': HTTP error 404 \('Not Found'\)\n/);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
