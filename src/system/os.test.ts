// Tests of `tix os`: rebuilds into a root directory (profile generations, activation, rollback,
// the actions' different effects) and `tix os version` reading the current system.

import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { listSystemGenerations, rebuild, type RebuildAction } from "./os-rebuild.js";
import { currentVersionOutput } from "./os-version.js";
import { makeRoots } from "./roots.js";
import type { SystemBuildRequest } from "./system-builder.js";
import { SystemStore } from "./system-store.js";
import { installTestSystems, namespaceTestsSkipReason, runTix, type TestSystems } from "./test-support.js";

const SEED_JSON =
  '{"configurationRevision":"9190c396f4dcfc734e554768c53a81d1c231c6a7","nixosVersion":"20.03.20200622.13c15f2","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}\n';
const DIRTY_JSON = '{"nixosVersion":"20.03.20200622.13c15f2","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}\n';

/** One root with the test systems in its store, shared by the tests below. */
let shared: { root: string; systems: TestSystems } | null = null;
function sharedRoot(): { root: string; systems: TestSystems } {
  if (shared === null) {
    const root = tempDir("tix-os-");
    shared = { root, systems: installTestSystems(root, "machine") };
  }
  return shared;
}

describe("os rebuild with a flake", () => {
  test("builds nixosConfigurations.HOSTNAME's toplevel through the hook; build leaves a result link", async () => {
    const { root, systems } = sharedRoot();
    const roots = makeRoots(root);
    const store = new SystemStore(roots);
    const requests: SystemBuildRequest[] = [];
    const messages: string[] = [];
    const outLink = path.join(tempDir("tix-os-out-"), "result");
    try {
      const status = await rebuild({
        roots,
        store,
        action: "build",
        flake: "/path/to/my-flake",
        hostName: "my-machine",
        outLink,
        buildSystem: async (req) => {
          requests.push(req);
          return systems.first;
        },
        message: (m) => messages.push(m),
      });
      assert.equal(status, 0);
      assert.deepEqual(requests, [
        { flakeRef: "/path/to/my-flake", attrPath: 'nixosConfigurations."my-machine".config.system.build.toplevel', nixFlags: [], dryRun: false },
      ]);
      assert.deepEqual(messages, ["building the system configuration..."]);
      assert.equal(fs.readlinkSync(outLink), systems.first);
      // build makes no generation
      assert.deepEqual(listSystemGenerations(roots), []);
    } finally {
      store.close();
    }
  });
});

test("os rebuild --no-allow-dirty refuses a dirty git flake before evaluating it (as container update does)", () => {
  const flake = tempDir("tix-os-dirty-");
  const git = (...args: string[]) => execFileSync("git", ["-C", flake, ...args], { stdio: "pipe" });
  fs.writeFileSync(path.join(flake, "flake.nix"), "{ outputs = { self }: { }; }\n");
  git("init", "-q");
  git("add", "flake.nix");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
  fs.writeFileSync(path.join(flake, "flake.nix"), "{ outputs = { self }: { x = 1; }; }\n");
  const r = runTix(["os", "rebuild", "build", "--flake", `${flake}#m`, "--no-allow-dirty", "--root", tempDir("tix-os-dirty-root-"), "--store", tempDir("tix-os-dirty-store-")]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Git tree '.*' is dirty/);
});

test("a flake that lacks the configuration: the build's error and Nix's suggestion, then nothing more (os rebuild, container create)", () => {
  const flake = tempDir("tix-os-missing-");
  fs.writeFileSync(path.join(flake, "flake.nix"), "{ outputs = { self }: { nixosConfigurations.container = { }; }; }\n");
  const where = ["--root", tempDir("tix-os-missing-root-"), "--store", tempDir("tix-os-missing-store-")];
  const tried = (name: string) =>
    `error: flake 'path:${flake}' does not provide attribute 'packages.x86_64-linux.nixosConfigurations."${name}".config.system.build.toplevel', ` +
    `'legacyPackages.x86_64-linux.nixosConfigurations."${name}".config.system.build.toplevel' or 'nixosConfigurations."${name}".config.system.build.toplevel'\n` +
    "       Did you mean container?\n";
  const rebuild = runTix(["os", "rebuild", "build", "--flake", `path:${flake}#containr`, ...where], { env: { TIX_SYSTEM: "x86_64-linux" } });
  assert.equal(rebuild.status, 1);
  assert.equal(rebuild.stderr, "building the system configuration...\n" + tried("containr"));
  const create = runTix(["container", "create", "web", "--flake", `path:${flake}#contaner`, ...where], { env: { TIX_SYSTEM: "x86_64-linux" } });
  assert.equal(create.status, 1);
  assert.equal(create.stderr, "host IP is 10.233.1.1, container IP is 10.233.1.2\n" + tried("contaner") + `tix container: failed to build container from flake 'path:${flake}'\n`);
});

describe("os rebuild and version below a root", { skip: namespaceTestsSkipReason() }, () => {
  let root: string;
  let systems: TestSystems;
  const hostName = os.hostname();
  const tixOs = (...args: string[]) => runTix(["os", ...args, "--root", root]);
  /** A rebuild in this process (quicker than the command); returns status and messages. */
  const rebuildHere = async (action: RebuildAction, o: { systemPath?: string; rollback?: boolean } = {}) => {
    const roots = makeRoots(root);
    const store = new SystemStore(roots);
    const messages: string[] = [];
    try {
      const status = await rebuild({ roots, store, action, ...o, buildSystem: async () => "", message: (m) => messages.push(m) });
      return { status, messages };
    } finally {
      store.close();
    }
  };
  const versionHere = (...args: string[]) => currentVersionOutput(makeRoots(root), args);
  const link = (p: string) => fs.readlinkSync(path.join(root, p));

  before(() => {
    ({ root, systems } = sharedRoot());
  });

  test("switch makes generation 1 and activates it below the root", () => {
    const r = tixOs("rebuild", "switch", "--system-path", systems.first);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "activating the configuration...\n");
    assert.equal(link("nix/var/nix/profiles/system"), "system-1-link");
    assert.equal(link("nix/var/nix/profiles/system-1-link"), systems.first);
    assert.equal(link("run/current-system"), systems.first);
    assert.equal(link("etc/static"), `${systems.first}/etc`);
    assert.equal(link("etc/tix-test.conf"), "/etc/static/tix-test.conf");
    assert.equal(link("bin/sh"), `${systems.first}/sw/bin/sh`);
    const passwd = fs.readFileSync(path.join(root, "etc/passwd"), "utf8");
    assert.match(passwd, /^root:x:0:0:/m);
    assert.match(passwd, /^wwwrun:x:54:54:/m);
    assert.ok(fs.existsSync(path.join(root, "etc/NIXOS")));
    // Activation ran in namespaces of its own: the host keeps its name.
    assert.equal(os.hostname(), hostName);
  });

  test("version reports the current system like nixos-version", () => {
    assert.equal(tixOs("version", "--json").stdout, SEED_JSON);
    assert.equal(versionHere()?.stdout, "20.03.20200622.13c15f2 (Markhor)\n");
    assert.equal(versionHere("--revision")?.stdout, "13c15f26d44cf7f54197891a6f0c78ce8149b037\n");
    assert.equal(versionHere("--configuration-revision")?.stdout, "9190c396f4dcfc734e554768c53a81d1c231c6a7\n");
  });

  test("enter runs a command with the root as / (like nixos-enter)", () => {
    const r = runTix(["os", "enter", "--root", root, "--", "cat", "/etc/tix-test.conf"]);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, "generation one\n", ""]);
    const c = runTix(["os", "enter", "--root", root, "-c", "cat /etc/hostname; exit 3"]);
    assert.deepEqual([c.status, c.stdout], [3, "machine\n"]);
    const empty = tempDir("tix-os-enter-");
    const e = runTix(["os", "enter", "--root", empty, "--", "true"]);
    assert.deepEqual([e.status, e.stderr], [1, "error: there is no current system (/run/current-system does not lead into the store)\n"]);
    fs.rmSync(empty, { recursive: true, force: true });
  });

  test("a second switch, the generations, and a rollback", async () => {
    assert.equal((await rebuildHere("switch", { systemPath: systems.second })).status, 0);
    assert.equal(link("nix/var/nix/profiles/system"), "system-2-link");
    assert.equal(link("etc/static"), `${systems.second}/etc`);
    assert.equal(versionHere("--json")?.stdout, DIRTY_JSON);
    const unknown = tixOs("version", "--configuration-revision");
    assert.deepEqual([unknown.status, unknown.stdout, unknown.stderr], [1, "", "nixos-version: configuration revision is unknown\n"]);

    const gens = JSON.parse(tixOs("rebuild", "list-generations", "--json").stdout) as Record<string, unknown>[];
    assert.deepEqual(
      gens.map((g) => [g["generation"], g["nixosVersion"], g["configurationRevision"], g["current"]]),
      [
        [2, "20.03.20200622.13c15f2", "Unknown", true],
        [1, "20.03.20200622.13c15f2", "9190c396f4dcfc734e554768c53a81d1c231c6a7", false],
      ],
    );
    assert.match(String(gens[0]!["date"]), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const back = tixOs("rebuild", "switch", "--rollback");
    assert.equal(back.status, 0, back.stderr);
    assert.match(back.stderr, /^switching profile from version 2 to 1\n/);
    assert.equal(link("nix/var/nix/profiles/system"), "system-1-link");
    assert.equal(link("run/current-system"), systems.first);
    await assert.rejects(rebuildHere("switch", { rollback: true }), /no profile version older than the current \(1\) exists/);
  });

  test("boot sets the profile only, test activates only, build and dry-activate change nothing", async () => {
    assert.equal((await rebuildHere("boot", { systemPath: systems.second })).status, 0);
    assert.equal(link("nix/var/nix/profiles/system"), "system-2-link");
    assert.equal(link("run/current-system"), systems.first);

    assert.equal((await rebuildHere("test", { systemPath: systems.first })).status, 0);
    assert.equal(link("run/current-system"), systems.first);
    assert.equal((await rebuildHere("test", { systemPath: systems.second })).status, 0);
    assert.equal(link("run/current-system"), systems.second);
    assert.deepEqual(fs.readdirSync(path.join(root, "nix/var/nix/profiles")).filter((n) => n.startsWith("system-")).sort(), ["system-1-link", "system-2-link"]);

    const dry = tixOs("rebuild", "dry-activate", "--system-path", systems.first);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stderr, /would activate the configuration\.\.\./);
    assert.equal(link("run/current-system"), systems.second);

    const cwd = tempDir("tix-os-build-");
    const built = runTix(["os", "rebuild", "build", "--root", root, "--system-path", systems.first], { cwd });
    assert.equal(built.status, 0, built.stderr);
    assert.equal(fs.readlinkSync(path.join(cwd, "result")), systems.first);
  });

  test("a root whose store lives elsewhere (--store)", () => {
    const other = tempDir("tix-os-other-");
    const r = runTix(["os", "rebuild", "switch", "--root", other, "--store", root, "--system-path", systems.first]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readlinkSync(path.join(other, "run/current-system")), systems.first);
    assert.equal(runTix(["os", "version", "--json", "--root", other, "--store", root]).stdout, SEED_JSON);
    // Without --store the root's own store lacks the system: say so (it was bwrap's "execvp … No such file").
    const forgot = runTix(["os", "version", "--json", "--root", other]);
    assert.equal(forgot.status, 1);
    assert.equal(
      forgot.stderr,
      `error: the current system ${systems.first} is not in the store ${other}/nix/store; if it lives in another store, give it with --store\n`,
    );
  });
});
