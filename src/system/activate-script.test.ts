// The reference `activate` script (flakes/base/nixos/scripts/activate.sh) run below a root directory: /etc links
// and copies, links left dangling by a switch, users merged with what is there, modes, and a
// second run that changes nothing.

import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { openLocalStore } from "../store/local-store.js";
import { tempDir } from "../store/test-util.js";
import { runInRoot } from "./activation.js";
import { addBusybox, buildFakeSystem } from "./fake-toplevel.js";
import { makeRoots } from "./roots.js";
import { namespaceTestsSkipReason, SEED_VERSION } from "./test-support.js";

describe("the activate script below a root", { skip: namespaceTestsSkipReason() }, () => {
  let root: string;
  let first: string;
  let second: string;
  const file = (p: string) => path.join(root, p);
  /** Reads a file as the root sees it (absolute links resolve below the root). */
  const read = (p: string) => fs.readFileSync(resolveBelow(root, "/" + p), "utf8");
  const link = (p: string) => fs.readlinkSync(file(p));
  const mode = (p: string) => (fs.statSync(file(p)).mode & 0o7777).toString(8);
  const activate = (system: string) => {
    const status = runInRoot(makeRoots(root), [`${system}/activate`]);
    assert.equal(status, 0);
  };

  before(() => {
    root = tempDir("tix-activate-");
    const store = openLocalStore(root);
    try {
      const bb = addBusybox(store);
      first = buildFakeSystem(store, bb, {
        hostName: "first",
        version: SEED_VERSION,
        etc: { "a.conf": "a1\n", "gone.conf": "g\n", "sub/dir/b.conf": "b1\n", "secret.conf": "s1\n", "secret.conf.mode": "0640\n" },
        users: ["alice:x:1000:100::/home/alice:/run/current-system/sw/bin/sh"],
        groups: ["users:x:100:alice"],
      });
      second = buildFakeSystem(store, bb, {
        hostName: "second",
        version: SEED_VERSION,
        etc: { "a.conf": "a2\n", "sub/dir/b.conf": "b2\n" },
        users: ["alice:x:1000:100:Alice:/home/alice:/run/current-system/sw/bin/sh"],
        groups: ["users:x:100:alice"],
      });
    } finally {
      store.close();
    }
    fs.mkdirSync(file("etc"), { recursive: true });
    // What an administrator added by hand stays; what the system declares replaces it.
    fs.writeFileSync(file("etc/passwd"), "bob:x:1001:100::/home/bob:/bin/sh\nalice:x:1000:100:old:/old:/bin/false\n");
    fs.writeFileSync(file("etc/group"), "");
    fs.writeFileSync(file("etc/shadow"), "bob:$6$hash:1::::::\n");
    fs.writeFileSync(file("etc/NIXOS"), "");
  });

  test("first activation: links, a copied file, users, directories and modes", () => {
    activate(first);
    assert.equal(link("etc/static"), `${first}/etc`);
    assert.equal(link("etc/a.conf"), "/etc/static/a.conf");
    assert.equal(link("etc/sub/dir/b.conf"), "/etc/static/sub/dir/b.conf");
    assert.equal(read("etc/a.conf"), "a1\n");
    assert.equal(fs.lstatSync(file("etc/secret.conf")).isFile(), true);
    assert.equal(read("etc/secret.conf"), "s1\n");
    assert.equal(mode("etc/secret.conf"), "640");
    assert.equal(read("etc/.clean"), "secret.conf\n");
    assert.equal(read("etc/passwd"), [
      "bob:x:1001:100::/home/bob:/bin/sh",
      "alice:x:1000:100::/home/alice:/run/current-system/sw/bin/sh",
      "root:x:0:0:System administrator:/root:/run/current-system/sw/bin/sh",
      "nobody:x:65534:65534:Unprivileged account:/var/empty:/run/current-system/sw/bin/nologin",
      "",
    ].join("\n"));
    assert.equal(read("etc/group"), "root:x:0:\nnogroup:x:65534:\nusers:x:100:alice\n");
    assert.equal(read("etc/shadow"), "bob:$6$hash:1::::::\nalice:!:1::::::\nroot:!:1::::::\nnobody:!:1::::::\n");
    assert.deepEqual([mode("etc/passwd"), mode("etc/group"), mode("etc/shadow")], ["644", "644", "600"]);
    assert.deepEqual([mode("tmp"), mode("root"), mode("var/tmp"), mode("var/empty"), mode("home/alice")], ["1777", "700", "1777", "555", "700"]);
    assert.equal(link("run/current-system"), first);
    assert.equal(link("nix/var/nix/gcroots/current-system"), "/run/current-system");
    assert.equal(link("bin/sh"), `${first}/sw/bin/sh`);
    assert.equal(link("usr/bin/env"), `${first}/sw/bin/env`);
  });

  test("activating the same system again changes nothing", () => {
    const inode = (p: string) => fs.lstatSync(file(p)).ino;
    const watched = ["etc/static", "etc/a.conf", "etc/passwd", "etc/group", "etc/shadow", "run/current-system", "bin/sh"];
    const before = watched.map(inode);
    activate(first);
    assert.deepEqual(watched.map(inode), before);
  });

  test("a switch relinks, removes what the old system provided, and keeps what it did not", () => {
    fs.symlinkSync("/etc/static/never-there.conf", file("etc/mine.conf"));
    fs.symlinkSync("/somewhere/else", file("etc/other.conf"));
    activate(second);
    assert.equal(link("etc/static"), `${second}/etc`);
    assert.equal(read("etc/a.conf"), "a2\n");
    assert.equal(read("etc/sub/dir/b.conf"), "b2\n");
    for (const gone of ["etc/gone.conf", "etc/secret.conf", "etc/mine.conf"]) assert.equal(fs.existsSync(file(gone)) || isLink(file(gone)), false, gone);
    assert.equal(link("etc/other.conf"), "/somewhere/else");
    assert.equal(read("etc/.clean"), "");
    assert.match(read("etc/passwd"), /^alice:x:1000:100:Alice:\/home\/alice:/m);
    assert.match(read("etc/passwd"), /^bob:/m);
    assert.equal(link("run/current-system"), second);
    assert.equal(link("bin/sh"), `${second}/sw/bin/sh`);
  });
});

/** The host path of `p` seen from `root` as `/`, following symbolic links component by component. */
function resolveBelow(root: string, p: string): string {
  let done = "/";
  const rest = p.split("/").filter((c) => c !== "");
  for (let hops = 0; rest.length > 0; ) {
    const c = rest.shift()!;
    const next = path.posix.join(done, c);
    let target: string | null = null;
    try {
      target = fs.readlinkSync(path.join(root, next));
    } catch {
      target = null;
    }
    if (target === null) {
      done = next;
      continue;
    }
    if (++hops > 40) throw new Error(`too many links resolving ${p}`);
    rest.unshift(...target.split("/").filter((x) => x !== ""));
    if (target.startsWith("/")) done = "/";
  }
  return path.join(root, done);
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
