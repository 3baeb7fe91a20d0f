// Tests of `tix container`: the bookkeeping (in-process, any user), and, as root, whole
// containers from systems that follow the contract — started in a network namespace of the
// test's own, served over their veth, switched by `update`, and gone without a trace after
// `stop` and `destroy`.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { containerPaths } from "./container-paths.js";
import { containerIp, containerStatus, createContainer, destroyContainer, listContainers, updateContainer, type ContainerContext } from "./containers.js";
import { SystemError } from "./errors.js";
import { listGenerations } from "./profiles.js";
import { makeRoots } from "./roots.js";
import type { SystemBuildRequest } from "./system-builder.js";
import { SystemStore } from "./system-store.js";
import {
  installTestSystems,
  IT_WORKS,
  mountsBelow,
  namespaceTestsSkipReason,
  processesInPidNamespace,
  repoRoot,
  runTix,
  sh,
  type TestSystems,
} from "./test-support.js";

/** A store with the test systems, shared by the tests below (each uses a state root of its own). */
let shared: { store: string; systems: TestSystems } | null = null;
function sharedStore(): { store: string; systems: TestSystems } {
  if (shared === null) {
    const store = tempDir("tix-ct-store-");
    shared = { store, systems: installTestSystems(store) };
  }
  return shared;
}

describe("container bookkeeping", () => {
  let root: string;
  let systems: TestSystems;
  let ctx: ContainerContext;
  const builds: SystemBuildRequest[] = [];
  const messages: string[] = [];

  before(() => {
    root = tempDir("tix-containers-");
    const s = sharedStore();
    systems = s.systems;
    const roots = makeRoots(root, s.store);
    ctx = {
      roots,
      store: new SystemStore(roots),
      buildSystem: async (req) => {
        builds.push(req);
        return systems.first;
      },
      message: (line) => messages.push(line),
    };
  });
  after(() => ctx.store.close());

  test("create --flake builds nixosConfigurations.ATTR's toplevel and records FLAKE", async () => {
    const r = await createContainer(ctx, { name: "flake-test", flake: "/path/to/my-flake#web", nixFlags: ["--impure"] });
    assert.deepEqual(r, { name: "flake-test", hostAddress: "10.233.1.1", localAddress: "10.233.1.2" });
    assert.deepEqual(builds.pop(), {
      flakeRef: "/path/to/my-flake",
      attrPath: 'nixosConfigurations."web".config.system.build.toplevel',
      nixFlags: ["--impure"],
    });
    assert.deepEqual(messages.splice(0), ["host IP is 10.233.1.1, container IP is 10.233.1.2"]);
    const p = containerPaths(ctx.roots, "flake-test");
    assert.equal(
      fs.readFileSync(p.confFile, "utf8"),
      "PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.1.1\nLOCAL_ADDRESS=10.233.1.2\nHOST_BRIDGE=\nHOST_PORT=\nAUTO_START=0\nFLAKE=/path/to/my-flake\n",
    );
    assert.equal(path.relative(root, p.profile), "nix/var/nix/profiles/per-container/flake-test/system");
    assert.equal(fs.readlinkSync(p.profile), "system-1-link");
    assert.equal(fs.readlinkSync(path.join(p.profileDir, "system-1-link")), systems.first);
  });

  test("update without options rebuilds the recorded flake (default attribute container)", async () => {
    await updateContainer(ctx, "flake-test", {});
    assert.equal(builds.pop()?.attrPath, 'nixosConfigurations."container".config.system.build.toplevel');
    // Same system again: the newest generation is reused.
    assert.deepEqual(listGenerations(containerPaths(ctx.roots, "flake-test").profile).map((g) => g.number), [1]);
    await updateContainer(ctx, "flake-test", { systemPath: systems.second });
    assert.deepEqual(listGenerations(containerPaths(ctx.roots, "flake-test").profile).map((g) => [g.number, g.current]), [
      [1, false],
      [2, true],
    ]);
  });

  test("addresses are allocated past those in use; names are checked", async () => {
    const r = await createContainer(ctx, { name: "second", systemPath: systems.first });
    assert.equal(r.localAddress, "10.233.2.2");
    assert.equal(containerIp(ctx.roots, "second"), "10.233.2.2");
    const u = await createContainer(ctx, { name: "second", systemPath: systems.first, ensureUniqueName: true });
    assert.equal(u.name, "second-0");
    await assert.rejects(createContainer(ctx, { name: "second", systemPath: systems.first }), /container ‘second’ already exists/);
    await assert.rejects(createContainer(ctx, { name: "much-too-long", systemPath: systems.first }), /is too long/);
    await assert.rejects(createContainer(ctx, { name: "x", hostAddress: "10.1.1.1" }), /With --host-address set, --local-address is required as well!/);
    assert.deepEqual(listContainers(ctx.roots), ["flake-test", "second", "second-0"]);
    // Created from a system path, it records no flake: update needs to be told what to install.
    await assert.rejects(
      updateContainer(ctx, "second", {}),
      /^SystemError: container ‘second’ records no flake, and rebuilding its \/etc\/nixos\/configuration\.nix is not supported yet; use --flake or --system-path$/,
    );
  });

  test("a failed build leaves no state behind", async () => {
    const failing: ContainerContext = { ...ctx, buildSystem: async () => Promise.reject(new Error("boom")) };
    await assert.rejects(createContainer(failing, { name: "broken", flake: "/nowhere" }), (e: unknown) => {
      return e instanceof SystemError && e.message.startsWith("failed to build container from flake '/nowhere'");
    });
    assert.equal(containerStatus(ctx.roots, "broken"), "gone");
    assert.equal(fs.existsSync(containerPaths(ctx.roots, "broken").profileDir), false);
    await assert.rejects(createContainer(ctx, { name: "notasystem", systemPath: systems.busybox }), /is not a system/);
  });

  test("destroy removes the configuration, profile, GC roots and root", () => {
    const p = containerPaths(ctx.roots, "second-0");
    assert.equal(containerStatus(ctx.roots, "second-0"), "down");
    destroyContainer(ctx, "second-0");
    destroyContainer(ctx, "second-0"); // nothing left: fine
    for (const f of [p.confFile, p.profileDir, p.gcrootsDir, p.rootDir]) assert.equal(fs.existsSync(f), false, f);
    assert.equal(containerStatus(ctx.roots, "second-0"), "gone");
  });
});

const skip = namespaceTestsSkipReason();

describe("containers on namespaces", { skip }, () => {
  const name = `ct${process.pid % 100000}`;
  const netns = `tixtest-${process.pid}`;
  let root: string;
  let systems: TestSystems;
  let env: NodeJS.ProcessEnv;
  let store: string;
  const tix = (...args: string[]) => runTix(["container", "--store", store, ...args], { env, netns });
  const inNetns = (argv: string[]) => sh(["nsenter", `--net=/run/netns/${netns}`, ...argv]);
  const runtime = () => JSON.parse(fs.readFileSync(path.join(root, "run/tix-containers", `${name}.json`), "utf8")) as { leader: number };

  before(() => {
    root = tempDir("tix-ct-");
    ({ store, systems } = sharedStore());
    env = { TIX_STATE_ROOT: root, TIX_CONTAINER_START_TIMEOUT: "40" };
    assert.equal(sh(["ip", "netns", "add", netns]).status, 0);
    assert.equal(inNetns(["ip", "link", "set", "lo", "up"]).status, 0);
  });

  after(() => {
    tix("destroy", name);
    tix("destroy", `${name}b`);
    sh(["ip", "netns", "del", netns]);
  });

  test("create prints the addresses; the container is not started", () => {
    const r = tix("create", name, "--system-path", systems.first);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "host IP is 10.233.1.1, container IP is 10.233.1.2\n");
    assert.equal(tix("status", name).stdout, "down\n");
    assert.equal(tix("list").stdout, `${name}\n`);
  });

  test("start boots the system; its page is served under the container's name", () => {
    const r = tix("start", name);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(tix("status", name).stdout, "up\n");
    assert.match(fs.readFileSync(path.join(root, "etc/hosts"), "utf8"), new RegExp(`^10\\.233\\.1\\.2\\t${name}\\t`, "m"));
    // curl resolves the name through the hosts file tix manages (bound over /etc/hosts here).
    const curl = inNetns(["unshare", "-m", "sh", "-c", `mount --bind "$0"/etc/hosts /etc/hosts && curl -sS -m 10 http://${name}/`, root]);
    assert.equal(curl.stdout, IT_WORKS, curl.stderr);
    assert.equal(tix("show-ip", name).stdout, "10.233.1.2\n");
  });

  test("services start only after tix has set up the network (TIX_READY_FD)", () => {
    // httpd's run script saved /proc/net/dev and fib_trie as it started: eth0 and the container's
    // address were already there, because init waits for tix's line on descriptor 5.
    const seen = fs.readFileSync(`/proc/${runtime().leader}/root/run/network-at-httpd-start`, "utf8");
    assert.match(seen, /^\s*eth0:/m);
    assert.match(seen, /10\.233\.1\.2/);
  });

  test("run executes a command as root inside, with the system's files and version", () => {
    assert.equal(
      tix("run", name, "--", "nixos-version", "--json").stdout,
      '{"configurationRevision":"9190c396f4dcfc734e554768c53a81d1c231c6a7","nixosVersion":"20.03.20200622.13c15f2","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}\n',
    );
    const r = tix("run", name, "--", "sh", "-c", 'cat /etc/tix-test.conf; echo $(id -u) $(hostname) $(readlink /run/current-system); grep ^wwwrun: /etc/passwd; wget -q -O - http://127.0.0.1:8081/; exit 3');
    assert.equal(r.status, 3);
    assert.equal(r.stdout, `generation one\n0 nixos ${systems.first}\nwwwrun:x:54:54:Apache httpd user:/var/empty:/run/current-system/sw/bin/nologin\n${IT_WORKS}`);
    // A command killed by a signal ends with 128 + its number, as a shell reports it (it was always 137).
    assert.equal(tix("run", name, "--", "sh", "-c", "kill -TERM $$").status, 143);
    assert.equal(tix("run", name, "--", "sh", "-c", "kill -HUP $$").status, 129);
  });

  test("the firewall lets in port 80 only", () => {
    // Port 8081 is served inside the container (see the test of run), but not let in from outside.
    const refused = inNetns(["curl", "-sS", "-m", "1", "http://10.233.1.2:8081/"]);
    assert.notEqual(refused.status, 0);
    assert.equal(refused.stdout, "");
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.1.2/"]).stdout, IT_WORKS);
  });

  test("update switches the running container, leaving unchanged services running", () => {
    const before = fs.readFileSync(`/proc/${runtime().leader}/root/run/tix-init/services/httpd/main.pid`, "utf8").trim();
    assert.match(before, /^[0-9]+$/);
    const r = tix("update", name, "--system-path", systems.second);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^reloading container\.\.\.\n/);
    assert.match(r.stderr, /stopping the following units: secret\.service\n/);
    assert.match(r.stderr, /activating the configuration\.\.\.\n/);
    assert.match(r.stderr, /the following new units were started: extra\.service\n/);
    assert.doesNotMatch(r.stderr, /httpd/);
    // One look inside: httpd kept its pid, the new files and version are there, the new service
    // runs as its user, and the removed one is gone.
    const inside = tix(
      "run", name, "--", "sh", "-c",
      "cat /run/tix-init/services/httpd/main.pid /etc/tix-test.conf; nixos-version --json; " +
        "grep ^Uid /proc/$(cat /run/tix-init/services/extra/main.pid)/status; wget -q -T 1 -O - http://127.0.0.1:8081/ || echo refused",
    ).stdout.split("\n");
    assert.equal(inside[0], before);
    assert.equal(inside[1], "generation two");
    assert.equal(inside[2], '{"nixosVersion":"20.03.20200622.13c15f2","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}');
    assert.match(inside[3]!, /^Uid:\s+54\s/);
    assert.equal(inside[4], "refused");
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.1.2/"]).stdout, IT_WORKS);
    const gens = fs.readdirSync(path.join(root, "nix/var/nix/profiles/per-container", name)).sort();
    assert.deepEqual(gens, ["system", "system-1-link", "system-2-link"]);
  });

  test("update re-applies a changed firewall: a newly listed port is let in, an unlisted one refused again", () => {
    const opened = tix("update", name, "--system-path", systems.third);
    assert.equal(opened.status, 0, opened.stderr);
    assert.equal(tix("run", name, "--", "cat", "/etc/tix-test.conf").stdout, "generation three\n");
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.1.2:8081/"]).stdout, IT_WORKS);
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.1.2/"]).stdout, IT_WORKS);
    assert.match(JSON.stringify(runtime()), /8081/);
    // Back to the system that lists only port 80: secret keeps serving 8081, but it is refused.
    const closed = tix("update", name, "--system-path", systems.first);
    assert.equal(closed.status, 0, closed.stderr);
    assert.doesNotMatch(closed.stderr, /secret/);
    assert.equal(fs.readFileSync(`/proc/${runtime().leader}/root/run/tix-init/services/secret/state`, "utf8").trim(), "running");
    // (No -T: this busybox wget hangs or crashes with a timeout set once it is connected.)
    assert.equal(tix("run", name, "--", "wget", "-q", "-O", "-", "http://127.0.0.1:8081/").stdout, IT_WORKS);
    const refused = inNetns(["curl", "-sS", "-m", "1", "http://10.233.1.2:8081/"]);
    assert.notEqual(refused.status, 0);
    assert.equal(refused.stdout, "");
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.1.2/"]).stdout, IT_WORKS);
  });

  test("stop ends every process and leaves no interface, mount or hosts entry", () => {
    const { leader } = runtime();
    const pidns = fs.readlinkSync(`/proc/${leader}/ns/pid`);
    assert.ok(processesInPidNamespace(pidns).length >= 4);
    const r = tix("stop", name);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(tix("status", name).stdout, "down\n");
    assert.deepEqual(processesInPidNamespace(pidns), []);
    assert.notEqual(inNetns(["ip", "link", "show", `ve-${name}`]).status, 0);
    assert.deepEqual(mountsBelow(root), []);
    assert.doesNotMatch(fs.readFileSync(path.join(root, "etc/hosts"), "utf8"), new RegExp(name));
    assert.match(fs.readFileSync(path.join(root, "var/log/tix-containers", `${name}.log`), "utf8"), /init: halted/);
  });

  test("the policy-routing fallback firewall refuses what is not allowed too", () => {
    const second = `${name}b`;
    assert.equal(tix("create", second, "--system-path", systems.first).stderr, "host IP is 10.233.2.1, container IP is 10.233.2.2\n");
    const r = runTix(["container", "start", second, "--store", store], { env: { ...env, TIX_FIREWALL_BACKEND: "iprule" }, netns });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.2.2/"]).stdout, IT_WORKS);
    assert.notEqual(inNetns(["curl", "-sS", "-m", "1", "http://10.233.2.2:8081/"]).status, 0);
    // update keeps the backend the container started with and replaces its rules.
    assert.equal(tix("update", second, "--system-path", systems.third).status, 0);
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.2.2:8081/"]).stdout, IT_WORKS);
    assert.equal(tix("update", second, "--system-path", systems.first).status, 0);
    assert.notEqual(inNetns(["curl", "-sS", "-m", "1", "http://10.233.2.2:8081/"]).status, 0);
    assert.equal(inNetns(["curl", "-sS", "-m", "5", "http://10.233.2.2/"]).stdout, IT_WORKS);
    assert.equal(tix("destroy", second).status, 0);
  });

  test("a container that shuts itself down is cleaned up after too", async () => {
    assert.equal(tix("start", name).status, 0);
    tix("run", name, "--", "kill", "1");
    for (let i = 0; i < 100 && fs.existsSync(path.join(root, "run/tix-containers", `${name}.json`)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(fs.existsSync(path.join(root, "run/tix-containers", `${name}.json`)), false);
    assert.doesNotMatch(fs.readFileSync(path.join(root, "etc/hosts"), "utf8"), new RegExp(name));
    assert.equal(inNetns(["ip", "-o", "link", "show"]).stdout.includes("ve-"), false);
  });

  test("destroy of a running container leaves nothing behind", () => {
    assert.equal(tix("start", name).status, 0);
    const { leader } = runtime();
    const pidns = fs.readlinkSync(`/proc/${leader}/ns/pid`);
    const r = tix("destroy", name);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(processesInPidNamespace(pidns), []);
    assert.equal(inNetns(["ip", "-o", "link", "show"]).stdout.includes("ve-"), false);
    assert.deepEqual(mountsBelow(root), []);
    for (const p of ["etc/nixos-containers", "var/lib/nixos-containers", "nix/var/nix/profiles/per-container", "nix/var/nix/gcroots/per-container", "run/tix-containers"]) {
      assert.deepEqual(fs.readdirSync(path.join(root, p)), [], p);
    }
    assert.equal(fs.readFileSync(path.join(root, "etc/hosts"), "utf8"), "");
    const gone = tix("status", name);
    assert.deepEqual([gone.status, gone.stdout], [1, "gone\n"]);
    assert.equal(tix("list").stdout, "");
  });
});

test("start as another user than root says it needs root (it used to take the unreadable profile for a missing system and build the recorded flake)", { skip: process.getuid?.() === 0 && sh(["which", "setpriv"]).status === 0 ? false : "needs root and setpriv" }, () => {
  const root = tempDir("tix-ct-user-");
  const r = sh(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", path.join(repoRoot(), "bin", "tix"), "container", "start", "web", "--root", root]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "tix container: starting a container requires root\n");
});
