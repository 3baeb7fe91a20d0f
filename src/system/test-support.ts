// Test support for the system layer: running `tix` (optionally inside a network namespace of the
// test's own), the systems the tests install, and checks that nothing of a container survives.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { openLocalStore } from "../store/local-store.js";
import { findProgram } from "./exec.js";
import { addBusybox, addDocumentRoot, buildFakeSystem } from "./fake-toplevel.js";
import type { VersionInfo } from "./version-info.js";

/** The checkout's root (where package.json is). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find the checkout");
    dir = up;
  }
  return dir;
}

/** Why the namespace tests cannot run here, or false if they can. */
export function namespaceTestsSkipReason(): string | false {
  if (process.getuid?.() !== 0) return "needs root";
  for (const p of ["bwrap", "nsenter", "ip", "unshare", "curl"]) if (findProgram(p) === null) return `needs ${p}`;
  if (!fs.existsSync("/usr/bin/busybox")) return "needs busybox-static";
  return false;
}

export interface TixRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

let cacheHome: string | undefined;

/**
 * A cache directory of this test process's own (removed at exit): tix keeps its evaluation cache
 * and recorded answers in $XDG_CACHE_HOME/tix, and tests must not write the user's ~/.cache.
 */
function testCacheHome(): string {
  if (cacheHome === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-test-cache-"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    cacheHome = dir;
  }
  return cacheHome;
}

/** Runs bin/tix with `args` (in network namespace `netns` when given), with a cache of the tests' own. */
export function runTix(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; netns?: string | null; cwd?: string } = {}): TixRun {
  const tix = path.join(repoRoot(), "bin", "tix");
  const argv = opts.netns ? ["nsenter", `--net=/run/netns/${opts.netns}`, tix, ...args] : [tix, ...args];
  const r: SpawnSyncReturns<string> = spawnSync(argv[0]!, argv.slice(1), {
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: testCacheHome(), ...opts.env },
    cwd: opts.cwd,
    timeout: 60_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export const IT_WORKS = "<html><body><h1>It works!</h1></body></html>\n";

export const SEED_VERSION: VersionInfo = {
  nixosVersion: "20.03.20200622.13c15f2",
  nixosCodeName: "Markhor",
  nixpkgsRevision: "13c15f26d44cf7f54197891a6f0c78ce8149b037",
  configurationRevision: "9190c396f4dcfc734e554768c53a81d1c231c6a7",
};

export interface TestSystems {
  readonly busybox: string;
  /** httpd (port 80, allowed) + secret (httpd on 8081, not allowed); /etc/tix-test.conf "one". */
  readonly first: string;
  /** The same httpd; secret gone, extra added; /etc/tix-test.conf "two"; dirty (no configurationRevision). */
  readonly second: string;
  /** `first` with the firewall letting in 8081 as well; /etc/tix-test.conf "three". */
  readonly third: string;
}

/** Installs the two test systems into the (chroot) store at `storeRoot`. */
export function installTestSystems(storeRoot: string, hostName = "nixos"): TestSystems {
  const store = openLocalStore(storeRoot);
  try {
    const bb = addBusybox(store);
    const docs = addDocumentRoot(store, IT_WORKS);
    // httpd first records the network it sees (interfaces and local addresses), which shows
    // whether init waited for tix to set up eth0 before starting services.
    const httpd = {
      run: `${bb}/bin/cat /proc/net/dev /proc/net/fib_trie > /run/network-at-httpd-start\nexec ${bb}/bin/httpd -f -p 80 -h ${docs}`,
      check: `exec ${bb}/bin/wget -q -O /dev/null http://127.0.0.1:80/`,
      restart: "always" as const,
    };
    const firstSystem = {
      hostName,
      version: SEED_VERSION,
      services: {
        httpd,
        secret: { run: `exec ${bb}/bin/httpd -f -p 8081 -h ${docs}`, after: ["httpd"] },
      },
      etc: { "tix-test.conf": "generation one\n" },
      allowedTCPPorts: [80],
      users: ["wwwrun:x:54:54:Apache httpd user:/var/empty:/run/current-system/sw/bin/nologin"],
      groups: ["wwwrun:x:54:"],
    };
    const first = buildFakeSystem(store, bb, firstSystem);
    const third = buildFakeSystem(store, bb, { ...firstSystem, etc: { "tix-test.conf": "generation three\n" }, allowedTCPPorts: [80, 8081] });
    const second = buildFakeSystem(store, bb, {
      hostName,
      version: { ...SEED_VERSION, configurationRevision: null },
      services: {
        httpd,
        extra: { run: `exec ${bb}/bin/sleep 100000`, user: "wwwrun" },
      },
      etc: { "tix-test.conf": "generation two\n" },
      allowedTCPPorts: [80],
      users: ["wwwrun:x:54:54:Apache httpd user:/var/empty:/run/current-system/sw/bin/nologin"],
      groups: ["wwwrun:x:54:"],
    });
    return { busybox: bb, first, second, third };
  } finally {
    store.close();
  }
}

/** Pids of the processes in pid namespace `nsInode` (as in /proc/PID/ns/pid → pid:[INODE]). */
export function processesInPidNamespace(nsLink: string): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(e)) continue;
    try {
      if (fs.readlinkSync(`/proc/${e}/ns/pid`) === nsLink) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Host mounts at or below `dir`. */
export function mountsBelow(dir: string): string[] {
  const prefix = path.resolve(dir);
  return fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((m) => m === prefix || m.startsWith(prefix + "/"));
}

/** Runs a command; returns its result (never throws). */
export function sh(argv: readonly string[], input?: string): TixRun {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", input, timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
