// Isolation and parallelism: a sandboxed builder sees only its input closure, writes only its
// outputs and build directory, has no network unless fixed-output; `-j 2` runs builds at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { tempDir } from "../store/test-util.js";
import { hashByteString, makeTextPath } from "../store/index.js";
import { canBuild, ok, preludeFile, tixAsync } from "./build-fixtures.js";

const skip = !canBuild() ? "needs root, bubblewrap and busybox" : false;

/** A TCP listener on 127.0.0.1 that records what clients send. */
async function listener(): Promise<{ port: number; received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const server = net.createServer((sock) => {
    let data = "";
    sock.on("data", (c) => {
      data += c.toString();
      if (data.includes("\n")) sock.end();
    });
    sock.on("close", () => received.push(data));
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return { port, received, close: () => new Promise((r) => server.close(() => r())) };
}

test("the sandbox hides the rest of the store, protects inputs and the host, and has no network", { skip }, async () => {
  const dir = tempDir("tix-iso-");
  preludeFile(dir);
  const hostDir = tempDir("tix-host-");
  const token = randomBytes(6).toString("hex");
  const srv = await listener();
  try {
    const file = path.join(dir, "iso.nix");
    fs.writeFileSync(
      file,
      `{ port }:
let
  inherit (import ./prelude.nix) mk bb;
  secret = builtins.unsafeDiscardStringContext (builtins.toFile "secret" "s3cret-${token}");
in {
  probe = mk "probe" ''
    mkdir $out
    cat \${secret} > $out/read 2>&1
    ls /nix/store > $out/store
    touch \${bb} 2> $out/write-input
    touch /nix/store/evil-${token}
    echo pwned 2> $out/write-host > ${hostDir}/pwned
    echo x 2> $out/write-etc >> /etc/passwd
    echo x > /build/scratch && echo yes > $out/build-writable
    touch /root-file 2> $out/write-root; mkdir /nix/dir 2> $out/write-nix; touch /dev/file 2> $out/write-dev
    touch /tmp/t /dev/shm/s && echo yes > $out/tmp-writable
    ulimit -s > $out/stack
    echo $$ > $out/pid; kill -9 $$; echo survived >> $out/pid
    id -u > $out/uid; id -g >> $out/uid; hostname > $out/hostname
  '' {};
  net = mk "net" "echo from-sandbox | nc 127.0.0.1 \${port} && echo connected > $out || echo refused > $out" {};
  fixedNet = mk "fixed-net" "grep -q 'hosts: files dns' /etc/nsswitch.conf && cmp /etc/ssl/certs/ca-certificates.crt /ca/bundle && echo from-fixed-output | nc 127.0.0.1 \${port}; echo done > $out" {
    outputHashAlgo = "sha256"; outputHash = builtins.hashString "sha256" "done\\n";
  };
}
`,
    );
    const store = path.join(dir, "store");
    const args = ["--store", store, "-f", file, "--argstr", "port", String(srv.port)];
    // A CA bundle of our own, which fixed-output builds must see at /etc/ssl/certs/ca-certificates.crt.
    const ca = tempDir("tix-ca-");
    fs.writeFileSync(path.join(ca, "bundle"), `bundle-${token}\n`);
    const caOptions = ["--option", "ssl-cert-file", path.join(ca, "bundle"), "--option", "extra-sandbox-paths", `/ca=${ca}`];
    const r = await tixAsync(["build", ...args, ...caOptions, "probe", "net", "fixedNet", "-j", "3", "--no-link", "--print-out-paths"]);
    const [probe, netOut, fixed] = ok(r, "build").trim().split("\n");
    const read = (p: string, f = ""): string => fs.readFileSync(path.join(store, p!, f), "utf8");

    // Only the closure (busybox) and the outputs are visible; the secret exists but cannot be read.
    const secret = makeTextPath("secret", hashByteString("sha256", `s3cret-${token}`));
    assert.ok(fs.existsSync(path.join(store, secret)), "the secret is in the store");
    assert.doesNotMatch(read(probe!, "read"), new RegExp(`s3cret-${token}`));
    assert.match(read(probe!, "read"), /No such file or directory/);
    assert.deepEqual(read(probe!, "store").trim().split("\n").sort(), [path.basename(probe!), fs.readdirSync(path.join(store, "nix/store")).find((e) => e.endsWith("-busybox"))!].sort());
    // Inputs are read-only; nothing reaches the host or the real store; /build is writable.
    assert.match(read(probe!, "write-input"), /Read-only file system/);
    assert.equal(fs.existsSync(path.join(store, "nix/store", `evil-${token}`)), false);
    assert.equal(fs.existsSync(path.join(hostDir, "pwned")), false);
    assert.notEqual(read(probe!, "write-host"), "");
    assert.notEqual(read(probe!, "write-etc"), "");
    assert.equal(read(probe!, "build-writable"), "yes\n");
    // The sandbox's own directories are not the builder's to change, as in Nix (where root owns them).
    for (const f of ["write-root", "write-nix", "write-dev"]) assert.match(read(probe!, f), /Read-only file system/, f);
    assert.equal(read(probe!, "tmp-writable"), "yes\n");
    // The builder is process 1 of its namespace, as under Nix: a SIGKILL from inside does not end it.
    assert.equal(read(probe!, "pid"), "1\nsurvived\n");
    // The stack limit is the one tix was started with, not the evaluator's raised one.
    const soft = /^Max stack size\s+(\S+)/m.exec(fs.readFileSync("/proc/self/limits", "utf8"))![1]!;
    assert.equal(read(probe!, "stack"), `${soft === "unlimited" ? soft : Number(soft) / 1024}\n`);
    assert.equal(read(probe!, "uid"), "1000\n100\n");
    assert.equal(read(probe!, "hostname"), "localhost\n");

    // No network, except for fixed-output derivations (which get Nix's /etc/nsswitch.conf and the CA bundle too).
    assert.equal(read(netOut!), "refused\n");
    assert.equal(read(fixed!), "done\n");
    assert.deepEqual(srv.received, ["from-fixed-output\n"]);
  } finally {
    await srv.close();
  }
});

test("-j 2 runs two independent builds at the same time", { skip }, async () => {
  const dir = tempDir("tix-par-");
  preludeFile(dir);
  const file = path.join(dir, "par.nix");
  const stamp = 'read t rest < /proc/uptime; echo $t';
  fs.writeFileSync(
    file,
    `let inherit (import ./prelude.nix) mk; in {
  a = mk "par-a" "(${stamp}; sleep 1; ${stamp}) > $out" {};
  b = mk "par-b" "(${stamp}; sleep 1; ${stamp}) > $out" {};
}
`,
  );
  const store = path.join(dir, "store");
  const outs = ok(await tixAsync(["build", "--store", store, "-f", file, "a", "b", "-j", "2", "--no-link", "--print-out-paths"]), "build")
    .trim()
    .split("\n");
  const [a, b] = outs.map((o) => fs.readFileSync(path.join(store, o), "utf8").trim().split("\n").map(Number)) as [number[], number[]];
  // Each interval is [start, end]; they overlap when each starts before the other ends.
  assert.ok(a[0]! < b[1]! && b[0]! < a[1]!, `builds did not overlap: a=${a} b=${b}`);
});
