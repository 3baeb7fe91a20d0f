// Tests for flake.lock reading/writing, diffs and commit messages against Nix 2.8 output
// (testdata/README.md says how each file was produced).

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { readTestdata as read, TESTDATA } from "./test-util.js";
import { canonicalizeFlakeRef, flakeRefEquals, flakeRefFromAttrs, flakeRefToString, parseFlakeRef } from "./flake-ref.js";
import {
  checkLockFile,
  diffLockFiles,
  findInput,
  findUnlockedInput,
  follows,
  getAllInputs,
  lockFileCommitMessage,
  newLockedNode,
  newLockFile,
  parseInputPath,
  parseLockFile,
  printInputPath,
  serializeLockFile,
  type LockedNode,
} from "./lock-file.js";

const R = "8aefc733199d61f89e7720010fd4639eb9fcf5f7";
const H = "sha256-4t93WHsrO5N0c3aKx4RmTo/53HoSgNBiREAxbOUYCKo=";

test("lock files written by Nix 2.8 round-trip byte for byte", () => {
  const files = fs.readdirSync(TESTDATA).filter((f) => f.startsWith("lock-") && f.endsWith(".json"));
  assert.ok(files.length >= 6);
  for (const f of files) {
    const text = read(f);
    const warnings: string[] = [];
    assert.equal(serializeLockFile(parseLockFile(text, { path: f, onWarning: (w) => warnings.push(w) })), text, f);
    assert.deepEqual(warnings, [], f);
  }
});

test("the graph: follows edges, shared nodes, flake = false", () => {
  const lock = parseLockFile(read("lock-r-v1.json"));
  const a = lock.root.inputs.get("a") as LockedNode;
  assert.deepEqual(a.inputs.get("b"), follows(["c"]));
  assert.deepEqual(lock.root.inputs.get("selfish"), follows([]));
  assert.equal((lock.root.inputs.get("data") as LockedNode).isFlake, false);
  assert.equal(findInput(lock, ["a", "b"]), lock.root.inputs.get("c"));
  assert.equal(findInput(lock, ["b", "lib"]), lock.root.inputs.get("lib"));
  assert.equal(findInput(lock, ["selfish"]), lock.root);
  assert.equal(findInput(lock, ["nope"]), undefined);
  checkLockFile(lock);
  assert.equal(findUnlockedInput(lock), undefined);
  // The indirect input's original stays indirect; its lock is the registry target.
  const reg = lock.root.inputs.get("reg") as LockedNode;
  assert.deepEqual(reg.original, { type: "indirect", id: "myreg" });
  assert.equal(reg.locked.type, "git");
  // Every input path, nested ones included, in Nix's order.
  assert.deepEqual(getAllInputs(lock).map(([p]) => printInputPath(p)), [
    "a", "a/b", "a/c", "b", "b/lib", "b2", "b2/lib", "c", "data", "inner", "lib", "p", "pinned", "reg", "selfish", "t", "w",
  ]);
});

test("new nodes are named after their input, with _2, _3 for clashes (depth-first, by name)", () => {
  const git = (name: string) => flakeRefFromAttrs({ type: "git", url: `file:///src/${name}`, rev: R, narHash: H, lastModified: 1 });
  const lock = newLockFile();
  const foo = newLockedNode(git("foo"), parseFlakeRef(`git+file:///src/foo`));
  const innerNixpkgs = newLockedNode(git("np1"), parseFlakeRef("git+file:///src/np1"));
  const topNixpkgs = newLockedNode(git("np2"), parseFlakeRef("git+file:///src/np2"), false);
  foo.inputs.set("nixpkgs", innerNixpkgs);
  foo.inputs.set("utils", follows(["utils"]));
  lock.root.inputs.set("nixpkgs", topNixpkgs);
  lock.root.inputs.set("foo", foo);
  lock.root.inputs.set("utils", innerNixpkgs); // the same node again: written once
  lock.root.inputs.set("root", newLockedNode(git("r"), parseFlakeRef("git+file:///src/r")));
  const json = JSON.parse(serializeLockFile(lock));
  assert.deepEqual(json.nodes.root.inputs, { foo: "foo", nixpkgs: "nixpkgs_2", root: "root_2", utils: "nixpkgs" });
  assert.deepEqual(json.nodes.foo.inputs, { nixpkgs: "nixpkgs", utils: ["utils"] });
  assert.equal(json.nodes.nixpkgs_2.flake, false);
  assert.deepEqual(Object.keys(json.nodes).sort(), ["foo", "nixpkgs", "nixpkgs_2", "root", "root_2"]);
  assert.equal(json.root, "root");
  assert.equal(json.version, 7);
  // Parsing it back gives the same text.
  assert.equal(serializeLockFile(parseLockFile(serializeLockFile(lock))), serializeLockFile(lock));
});

// `nix flake lock --update-input lib --commit-lock-file` from v1 to v2, as printed by Nix 2.8.
const DIFF_V1_V2 = `• Updated input 'lib':
    'git+file:///tmp/fx/lk/lib?ref=master&rev=fca08416d555de3e04dd2edc1fe5968740bd17f0' (2022-01-02)
  → 'git+file:///tmp/fx/lk/lib?ref=master&rev=7549296bc71894a23277c3c78514b57fb49844c1' (2022-08-09)
• Added input 'n':
    'path:/tmp/fx/lk/p?lastModified=1795636650&narHash=sha256-i%2fkOqmhu+JWwJI7tQlF1H78Pev98VeuVzw+xrtltXGk=' (2026-11-25)
• Removed input 'p'
`;

// `nix flake lock` from v2 to v3 (follows changes), as printed by Nix 2.8.
const DIFF_V2_V3 = `• Updated input 'a/b':
    follows 'c'
  → 'git+file:///tmp/fx/lk/b?ref=master&rev=629b752164b60fdb6966c36ee2342b0142ce922d' (2022-04-02)
• Added input 'a/b/lib':
    'git+file:///tmp/fx/lk/lib2?ref=master&rev=0d1d8f0435a147e418f2aaf59a9d377694598066' (2022-02-02)
• Updated input 'a/c':
    'git+file:///tmp/fx/lk/c?ref=master&rev=82375ae4bd3100926fa8f910e022a60a2c3bf91f' (2022-03-02)
  → follows 'lib'
• Updated input 'b2/lib':
    'git+file:///tmp/fx/lk/lib2?ref=master&rev=0d1d8f0435a147e418f2aaf59a9d377694598066' (2022-02-02)
  → follows 'a/c'
`;

test("lock file diffs match Nix 2.8's output", () => {
  const v1 = parseLockFile(read("lock-r-v1.json"));
  const v2 = parseLockFile(read("lock-r-v2.json"));
  const v3 = parseLockFile(read("lock-r-v3.json"));
  assert.equal(diffLockFiles(v1, v2, { style: "2.8" }), DIFF_V1_V2);
  assert.equal(diffLockFiles(v2, v3, { style: "2.8" }), DIFF_V2_V3);
  assert.equal(diffLockFiles(v1, v1), "");
  // On a terminal (captured with `script`): bold, green and red headings.
  assert.equal(
    diffLockFiles(v1, v2, { style: "2.8", color: true }),
    DIFF_V1_V2.replace("• Updated input 'lib':", "• \x1b[1mUpdated input 'lib':\x1b[0m")
      .replace("• Added input 'n':", "• \x1b[32;1mAdded input 'n':\x1b[0m")
      .replace("• Removed input 'p'", "• \x1b[31;1mRemoved input 'p'\x1b[0m"),
  );
  // Modern URL style.
  assert.match(diffLockFiles(v1, v2), /'path:\/tmp\/fx\/lk\/p\?lastModified=1795636650&narHash=sha256-i\/kOqmhu%2BJWwJI7tQlF1H78Pev98VeuVzw%2BxrtltXGk%3D' \(2026-11-25\)/);
});

test("--commit-lock-file message", () => {
  const v1 = parseLockFile(read("lock-r-v1.json"));
  const v2 = parseLockFile(read("lock-r-v2.json"));
  const msg = lockFileCommitMessage(diffLockFiles(v1, v2, { style: "2.8", color: true }));
  // `git show -s --format=%B` adds one newline.
  assert.equal(msg + "\n", read("commit-msg-2.8.txt"));
  assert.ok(msg.startsWith("flake.lock: Update\n\nFlake lock file updates:\n\n• Updated input 'lib':\n"));
  assert.ok(lockFileCommitMessage("", { relPath: "sub/flake.lock", created: true }).startsWith("sub/flake.lock: Add\n\n"));
  assert.ok(lockFileCommitMessage("", { summary: "chore: bump" }).startsWith("chore: bump\n\nFlake lock file updates:\n\n"));
});

test("unreadable lock files give errors naming the file and the way out", () => {
  const good = JSON.parse(read("lock-forges.json"));
  const variant = (f: (j: any) => void) => {
    const j = structuredClone(good);
    f(j);
    return JSON.stringify(j);
  };
  const cases: [string, RegExp][] = [
    ['{"nodes":', /^cannot parse lock file 'dir\/flake\.lock': .*; fix the JSON, or delete it and run 'nix flake lock' to create a new one$/],
    ["", /^cannot parse lock file 'dir\/flake\.lock'/],
    ["[]", /^lock file 'dir\/flake\.lock' is not a JSON object/],
    [variant((j) => (j.version = 4)), /^lock file 'dir\/flake\.lock' has unsupported version 4 \(versions 5 to 7 are supported\); delete it/],
    [variant((j) => (j.version = 8)), /has unsupported version 8/],
    [variant((j) => delete j.version), /has unsupported version 0/],
    [variant((j) => (j.nodes.root.inputs.gh = "nope")), /^lock file 'dir\/flake\.lock' references missing node 'nope'/],
    [variant((j) => delete j.nodes.gh.original), /attribute 'original' missing in node 'gh'/],
    [variant((j) => (j.nodes.gh.locked.type = "weird")), /node 'gh': unsupported input type 'weird'/],
    [variant((j) => delete j.nodes.tb.locked.narHash), /^Lock file 'dir\/flake\.lock' contains unlocked input '\{"type":"tarball","url":"https:\/\/example\.com\/x\.tar\.gz\?foo=bar"\}'\. Use '--allow-dirty-locks'/],
    [variant((j) => delete j.nodes.p.locked.narHash), /contains unlocked input '\{"lastModified":1795636650,"path":"\/tmp\/fx\/lk\/p","type":"path"\}'/],
    [variant((j) => (j.nodes.gh.inputs = { up: "root" })), /contains cycle to root node/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseLockFile(text, { path: "dir/flake.lock" }), { message }, text.slice(0, 80));
  }
  // Accepted with --allow-dirty-locks.
  const dirty = variant((j) => delete j.nodes.tb.locked.narHash);
  assert.equal(findUnlockedInput(parseLockFile(dirty, { allowDirtyLocks: true }))?.type, "tarball");
  // An unlocked entry that has a NAR hash is accepted with a warning (modern; 2.8 accepted it silently).
  const warnings: string[] = [];
  parseLockFile(variant((j) => delete j.nodes.ssh.locked.rev), { onWarning: (w) => warnings.push(w) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^Lock file entry 'git\+ssh:\/\/git@example\.com\/x\?ref=master&shallow=1&submodules=1' is unlocked/);
});

test("version 5 lock files: `info` is merged into `locked`", () => {
  const v5 = JSON.stringify({
    nodes: {
      root: { inputs: { dep: "dep" } },
      dep: {
        info: { lastModified: 1600000000, narHash: H },
        locked: { owner: "o", repo: "r", rev: R, type: "github" },
        original: { owner: "o", repo: "r", type: "github" },
      },
    },
    root: "root",
    version: 5,
  });
  const out = JSON.parse(serializeLockFile(parseLockFile(v5)));
  assert.equal(out.version, 7);
  assert.deepEqual(out.nodes.dep.locked, { lastModified: 1600000000, narHash: H, owner: "o", repo: "r", rev: R, type: "github" });
});

test("follows checks and input paths", () => {
  const lock = parseLockFile(read("lock-r-v1.json"));
  const a = lock.root.inputs.get("a") as LockedNode;
  a.inputs.set("x", follows(["nope", "deeper"]));
  assert.throws(() => checkLockFile(lock), { message: "input 'a/x' follows a non-existent input 'nope/deeper'" });
  a.inputs.delete("x");
  lock.root.inputs.set("loop1", follows(["loop2"]));
  lock.root.inputs.set("loop2", follows(["loop1"]));
  assert.throws(() => findInput(lock, ["loop1"]), { message: "follow cycle detected: [loop1 -> loop2 -> loop1]" });
  assert.deepEqual(parseInputPath("a/b/c"), ["a", "b", "c"]);
  assert.throws(() => parseInputPath("a/1b"), { message: "invalid flake input attribute path element '1b'" });
});

test("lock entries' `original` equal tix's parse of the flake.nix input URLs", () => {
  for (const [nix, lockName] of [["flake-r-v1.nix", "lock-r-v1.json"], ["flake-forges.nix", "lock-forges.json"]] as const) {
    const lock = parseLockFile(read(lockName));
    const urls = [...read(nix).matchAll(/(\w+)(?:\.url = | = \{ url = )"([^"]+)"/g)];
    assert.ok(urls.length >= 9, nix);
    for (const [, name, url] of urls) {
      const node = lock.root.inputs.get(name!) as LockedNode;
      assert.ok(flakeRefEquals(canonicalizeFlakeRef(node.original), parseFlakeRef(url!)), `${nix}: ${name}`);
    }
  }
});

test("locked references print as in `nix flake metadata`'s input tree (2.8)", () => {
  const expected: Record<string, string> = {
    gh: `github:NixOS/nixpkgs/${R}`,
    ghdir: `github:o/r/${R}?dir=a%2fb`,
    gl: `gitlab:veloren/veloren/${R}`,
    gs: `git+https://example.com/x.git?dir=sub&ref=main&rev=${R}`,
    ind: `github:NixOS/nixpkgs/${R}`,
    srht: `sourcehut:~user/repo/${R}`,
    ssh: `git+ssh://git@example.com/x?ref=master&rev=${R}&shallow=1`,
    tb: "https://example.com/x.tar.gz?foo=bar&narHash=sha256-4t93WHsrO5N0c3aKx4RmTo%2f53HoSgNBiREAxbOUYCKo=",
  };
  const lock = parseLockFile(read("lock-forges.json"));
  for (const [name, url] of Object.entries(expected)) {
    assert.equal(flakeRefToString((lock.root.inputs.get(name) as LockedNode).locked, { style: "2.8" }), url, name);
  }
  const r = parseLockFile(read("lock-r-v1.json"));
  const show = (name: string) => flakeRefToString((r.root.inputs.get(name) as LockedNode).locked, { style: "2.8" });
  assert.equal(show("inner"), "git+file:///tmp/fx/lk/sub?dir=inner&ref=master&rev=3beabc74e5accaf8dc6847ed3193d8686faca852");
  assert.equal(show("pinned"), "git+file:///tmp/fx/lk/lib?rev=0d1d8f0435a147e418f2aaf59a9d377694598066");
  assert.equal(show("t"), "file:///tmp/fx/lk/t.tar.gz?narHash=sha256-uHx5VVMb2gsNtrS8WoA2U0NQjR1cUBl7t%2fJKLNCRHm4=");
  assert.equal(show("w"), 'path:/tmp/fx/lk/w ü "q" \\ é?lastModified=1795636650&narHash=sha256-qRr0OXFYxj%2fn+DUZnVG5qF+R8fPZoXEEbl5CpweTIJ8=');
});
