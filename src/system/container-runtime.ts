// Running a container on Linux namespaces: bubblewrap creates the mount, pid, uts, ipc and
// network namespaces and the root (the container's state directory as `/`, the store read-only,
// its profile and GC-root directories, fresh /proc, /dev and /run) and runs the system's `init`
// as PID 1; tix wires the network and firewall before init may run, waits for init to report
// that its services are up, and records the leader in `/run/tix-containers/NAME.json`.
// Every mount lives in the container's own mount namespace, so nothing outlives its processes.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";
import { sleepMs } from "../store/sync-io.js";
import type { ContainerConfig } from "./container-config.js";
import { stripPrefix } from "./container-config.js";
import { setupNetwork, hostInterfaceName, interfaceExists, removeHostInterfaces } from "./container-network.js";
import type { ContainerDirs, ContainerPaths } from "./container-paths.js";
import { SystemError } from "./errors.js";
import { exitStatus, requireProgram, requireRoot } from "./exec.js";
import { applyFirewall, chooseFirewallBackend, type FirewallBackend } from "./firewall.js";
import { REMOVE_ENTRY_SH, removeHostsEntry, setHostsEntry } from "./hosts-file.js";
import { storePhysical, underRoot, type SystemRoots } from "./roots.js";
import { checkToplevel, toplevelFirewall } from "./toplevel.js";

/** What the host records about a running container. */
export interface RuntimeInfo {
  /** Host pid of the container's PID 1 (its init). */
  readonly leader: number;
  /** The leader's start time (field 22 of /proc/PID/stat), to notice a reused pid. */
  readonly leaderStart: string;
  /** Host pid of the process watching the leader (a shell around bubblewrap). */
  readonly monitor: number;
  /** The system path started, as the guest sees it. */
  readonly system: string;
  readonly hostInterface: string | null;
  readonly firewall: FirewallBackend | null;
  /** The firewall configuration applied (JSON), so that an update can tell whether it changed. */
  readonly firewallConfig?: string;
  readonly startedAt: string;
}

/** The profile path the container boots unless SYSTEM_PATH says otherwise (guest view). */
export const GUEST_PROFILE = "/nix/var/nix/profiles/system";

export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return null;
  return fields[19] ?? null;
}

function alive(pid: number, start: string): boolean {
  return processStartTime(pid) === start;
}

/** The runtime record of a container, or null when it is not running. */
export function readRuntime(paths: ContainerPaths): RuntimeInfo | null {
  let info: RuntimeInfo;
  try {
    info = JSON.parse(fs.readFileSync(paths.runtimeFile, "utf8")) as RuntimeInfo;
  } catch {
    return null;
  }
  return alive(info.leader, info.leaderStart) ? info : null;
}

export function isRunning(paths: ContainerPaths): boolean {
  return readRuntime(paths) !== null;
}

/** The state init reports (`starting`, `running`, `stopping`, …), read through /proc. */
export function initState(leader: number): string | null {
  try {
    return fs.readFileSync(`/proc/${leader}/root/run/tix-init/state`, "utf8").trim();
  } catch {
    return null;
  }
}

/** Creates what the container's root needs before it starts (spec §6.4 "start"). */
function prepareRoot(dirs: ContainerDirs, paths: ContainerPaths): void {
  fs.mkdirSync(dirs.stateDir, { recursive: true, mode: 0o700 });
  const r = paths.rootDir;
  for (const d of ["etc", "var/lib", "usr/bin", "nix/store", "nix/var/nix/profiles", "nix/var/nix/gcroots", "nix/var/nix/db", "proc", "dev", "run", "tmp"]) {
    fs.mkdirSync(path.join(r, d), { recursive: true });
  }
  for (const d of ["var/lib/private", "root"]) fs.mkdirSync(path.join(r, d), { recursive: true, mode: 0o700 });
  for (const f of ["etc/os-release", "etc/machine-id"]) {
    const p = path.join(r, f);
    if (!fs.existsSync(p) && !isSymlink(p)) fs.writeFileSync(p, "");
  }
  fs.mkdirSync(paths.profileDir, { recursive: true, mode: 0o755 });
  fs.mkdirSync(paths.gcrootsDir, { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.dirname(paths.runtimeFile), { recursive: true });
  fs.mkdirSync(path.dirname(paths.logFile), { recursive: true });
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The guest path of the system a container boots, resolved on the host to a store path. */
export function containerSystem(paths: ContainerPaths, conf: ContainerConfig): string | null {
  if (conf.systemPath !== null) return conf.systemPath;
  let p = paths.profile;
  for (let hops = 0; hops < 40; hops++) {
    let target: string;
    try {
      target = fs.readlinkSync(p);
    } catch {
      return null;
    }
    if (target.startsWith("/nix/store/")) return target;
    p = path.resolve(path.dirname(p), target);
  }
  return null;
}

function bwrapArgs(roots: SystemRoots, paths: ContainerPaths, conf: ContainerConfig): string[] {
  const a = ["--unshare-pid", "--unshare-uts", "--unshare-ipc"];
  if (conf.privateNetwork) a.push("--unshare-net");
  a.push("--hostname", paths.name, "--as-pid-1", "--cap-add", "ALL", "--new-session");
  a.push("--bind", paths.rootDir, "/");
  a.push("--ro-bind", storePhysical(roots, "/nix/store"), "/nix/store");
  a.push("--ro-bind-try", underRoot(roots.storeRoot, "/nix/var/nix/db"), "/nix/var/nix/db");
  a.push("--bind", paths.profileDir, "/nix/var/nix/profiles");
  a.push("--bind", paths.gcrootsDir, "/nix/var/nix/gcroots");
  a.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/run", "--chdir", "/");
  a.push("--clearenv", "--setenv", "container", "tix", "--setenv", "PATH", "/run/current-system/sw/bin");
  for (const key of ["HOST_ADDRESS", "LOCAL_ADDRESS", "HOST_ADDRESS6", "LOCAL_ADDRESS6", "HOST_BRIDGE"]) {
    const v = conf.get(key);
    if (v !== null) a.push("--setenv", key, v);
  }
  a.push("--setenv", "TIX_READY_FD", `${READY_FD}`);
  a.push("--info-fd", "3", "--block-fd", "4");
  a.push(`${conf.systemPath ?? GUEST_PROFILE}/init`);
  return a;
}

/**
 * The descriptor init reads a line from before it starts the services: tix releases init as soon
 * as the namespaces exist, so the system activates while tix wires the network and firewall.
 */
const READY_FD = 5;

function logTail(paths: ContainerPaths, lines = 20): string {
  try {
    const text = fs.readFileSync(paths.logFile, "utf8").trimEnd().split("\n");
    return text.slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads bubblewrap's info JSON (it names the leader's pid) to the end: bwrap writes it in
 * pieces, and closing our end early would kill bwrap with SIGPIPE halfway.
 */
function readInfo(stream: Readable, child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = "";
    let settled = false;
    const done = (err: Error | null, pid?: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.removeListener("exit", onExit);
      if (err !== null) reject(err);
      else resolve(pid!);
    };
    const onExit = (code: number | null): void => done(new SystemError(`bwrap exited (${code ?? "signal"}) before the container started`));
    const timer = setTimeout(() => done(new SystemError("timed out waiting for bwrap to create the container")), timeoutMs);
    stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    stream.on("end", () => {
      const m = /"child-pid"\s*:\s*([0-9]+)/.exec(text);
      if (m === null) done(new SystemError(`bwrap did not say which process is the container's: ${text.trim() || "(nothing)"}`));
      else done(null, Number(m[1]));
    });
    child.once("exit", onExit);
  });
}

/**
 * Runs bwrap, then removes the container's hosts entry and runtime record, so that a container
 * whose init exits by itself (or dies) leaves nothing behind either. The hosts file is rewritten
 * in place, like hosts-file.ts does.
 */
const MONITOR_SCRIPT = `"$@" &
exec 3>&- 4>&- 5>&-
wait $!
status=$?
${REMOVE_ENTRY_SH}rm -f "$TIX_RUNTIME_FILE"
exit $status
`;

export interface StartOptions {
  readonly roots: SystemRoots;
  readonly dirs: ContainerDirs;
  readonly paths: ContainerPaths;
  readonly conf: ContainerConfig;
  /** How long init may take to report its services up (default $TIX_CONTAINER_START_TIMEOUT s, else 60 s). */
  readonly timeoutMs?: number;
}

function startTimeout(): number {
  const s = Number(process.env["TIX_CONTAINER_START_TIMEOUT"] ?? "");
  return Number.isFinite(s) && s > 0 ? s * 1000 : 60_000;
}

/** Starts the container; resolves once its init reports that the services are up. */
export async function startContainer(o: StartOptions): Promise<RuntimeInfo> {
  const { roots, dirs, paths, conf } = o;
  const running = readRuntime(paths);
  if (running !== null) return running;
  requireRoot("starting a container");
  const bwrap = requireProgram("bwrap", "bubblewrap");
  requireProgram("nsenter", "util-linux");
  requireProgram("ip", "iproute2");
  const system = containerSystem(paths, conf);
  if (system === null) throw new SystemError(`container ‘${paths.name}’ has no system yet (run 'tix container update ${paths.name}')`);
  const toplevel = checkToplevel(roots, system);
  prepareRoot(dirs, paths);
  cleanupRuntime(dirs, paths);

  const logFd = fs.openSync(paths.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn("/bin/sh", ["-c", MONITOR_SCRIPT, "tix-container-monitor", bwrap, ...bwrapArgs(roots, paths, conf)], {
      detached: true,
      stdio: ["ignore", logFd, logFd, "pipe", "pipe", "pipe"],
      env: { ...process.env, TIX_CONTAINER: paths.name, TIX_HOSTS_FILE: dirs.hostsFile, TIX_RUNTIME_FILE: paths.runtimeFile },
    });
  } finally {
    fs.closeSync(logFd);
  }
  const infoStream = child.stdio[3] as Readable;
  const blockStream = child.stdio[4] as Writable;
  const readyStream = (child.stdio as unknown as readonly unknown[])[READY_FD] as Writable;
  // bwrap closes its ends when it is done with them; that is no error of ours.
  infoStream.on("error", () => undefined);
  blockStream.on("error", () => undefined);
  readyStream.on("error", () => undefined);
  let leader = 0;
  const abort = (e: unknown): never => {
    if (leader > 0) killQuietly(leader, "SIGKILL");
    killQuietly(child.pid ?? 0, "SIGKILL");
    removeHostInterfaces(paths.name);
    fs.rmSync(paths.runtimeFile, { force: true });
    throw e;
  };
  try {
    leader = await readInfo(infoStream, child, 10_000);
  } catch (e) {
    abort(e);
  }
  const leaderStart = processStartTime(leader) ?? abort(new SystemError("the container's init vanished"));

  // init may activate the system now; its services wait for the ready line below.
  blockStream.end("1", () => blockStream.destroy());

  let firewall: FirewallBackend | null = null;
  const firewallConfig = toplevelFirewall(toplevel);
  try {
    if (conf.privateNetwork) {
      // The firewall first: nothing may reach the container before it is in place.
      firewall = chooseFirewallBackend();
      applyFirewall(leader, "eth0", firewallConfig, firewall);
      setupNetwork(paths.name, leader, conf);
    }
  } catch (e) {
    abort(e);
  }
  const info: RuntimeInfo = {
    leader,
    leaderStart,
    monitor: child.pid ?? 0,
    system,
    hostInterface: conf.privateNetwork ? hostInterfaceName(paths.name, conf) : null,
    firewall,
    ...(firewall !== null ? { firewallConfig: JSON.stringify(firewallConfig) } : {}),
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(paths.runtimeFile, JSON.stringify(info, null, 2) + "\n");
  readyStream.end("ready\n", () => readyStream.destroy());
  child.unref();

  const deadline = Date.now() + (o.timeoutMs ?? startTimeout());
  for (;;) {
    if (!alive(leader, leaderStart)) {
      cleanupRuntime(dirs, paths);
      const tail = logTail(paths);
      throw new SystemError(`failed to start container${tail ? `; its console said:\n${tail}` : ""}`);
    }
    if (initState(leader) === "running") break;
    if (Date.now() > deadline) {
      const state = initState(leader);
      stopContainer(dirs, paths, { force: true });
      const tail = logTail(paths);
      throw new SystemError(
        `failed to start container (init did not report its services up in time; its state: ${state ?? "unknown"})` +
          (tail ? `; its console said:\n${tail}` : ""),
      );
    }
    await delay(10);
  }
  if (conf.localAddress !== null && conf.privateNetwork) setHostsEntry(dirs.hostsFile, paths.name, stripPrefix(conf.localAddress));
  return info;
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function waitGone(pid: number, start: string, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid, start)) {
    if (Date.now() > deadline) return false;
    sleepMs(10);
  }
  return true;
}

/** Removes what a container leaves on the host once its processes are gone. */
function cleanupRuntime(dirs: ContainerDirs, paths: ContainerPaths): void {
  // The kernel deletes ve-NAME with the namespace, a moment after the last process exits;
  // deleting it now is quicker than waiting.
  removeHostInterfaces(paths.name);
  const deadline = Date.now() + 2000;
  while ((interfaceExists(`ve-${paths.name}`) || interfaceExists(`vb-${paths.name}`)) && Date.now() < deadline) sleepMs(10);
  removeHostsEntry(dirs.hostsFile, paths.name);
  fs.rmSync(paths.runtimeFile, { force: true });
}

export interface StopOptions {
  /** Kill at once (`terminate`) instead of asking init to stop its services. */
  readonly force?: boolean;
  /** How long init may take before it is killed (default 30 s). */
  readonly timeoutMs?: number;
}

/** Stops the container (if running) and cleans up after it; returns whether it was running. */
export function stopContainer(dirs: ContainerDirs, paths: ContainerPaths, o: StopOptions = {}): boolean {
  const info = readRuntime(paths);
  if (info !== null) {
    requireRoot("stopping a container");
    killQuietly(info.leader, o.force ? "SIGKILL" : "SIGTERM");
    if (!waitGone(info.leader, info.leaderStart, o.force ? 5000 : (o.timeoutMs ?? 30_000))) {
      killQuietly(info.leader, "SIGKILL");
      waitGone(info.leader, info.leaderStart, 5000);
    }
    const monitorStart = processStartTime(info.monitor);
    if (monitorStart !== null) waitGone(info.monitor, monitorStart, 5000);
  }
  cleanupRuntime(dirs, paths);
  return info !== null;
}

/** The nsenter command that runs `argv` inside the running container (all its namespaces). */
export function enterCommand(info: RuntimeInfo, argv: readonly string[]): string[] {
  requireRoot("entering a container");
  return [requireProgram("nsenter", "util-linux"), "-t", `${info.leader}`, "-m", "-u", "-i", "-n", "-p", "-r", "-w", "--", ...argv];
}

/** The environment of a root login shell inside a container. */
export function loginEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: "/run/current-system/sw/bin:/run/current-system/sw/sbin",
    HOME: "/root",
    USER: "root",
    LOGNAME: "root",
    SHELL: "/run/current-system/sw/bin/sh",
    TERM: process.env["TERM"] ?? "dumb",
  };
}

/**
 * Runs `argv` as root in a login shell of the running container (`nixos-container run`),
 * with the caller's stdio; returns its exit status.
 */
export function runInContainer(info: RuntimeInfo, argv: readonly string[]): number {
  const shell = ["/run/current-system/sw/bin/sh", "-l", "-c", 'cd "$HOME" 2>/dev/null; exec "$@"', "sh", ...argv];
  const cmd = enterCommand(info, shell);
  const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: "inherit", env: loginEnvironment() });
  if (r.error !== undefined) throw new SystemError(`cannot run nsenter: ${r.error.message}`);
  return exitStatus(r);
}

/** An interactive shell (or `login`) inside the running container. */
export function loginToContainer(info: RuntimeInfo, program: "shell" | "login"): number {
  const argv = program === "shell" ? ["/run/current-system/sw/bin/sh", "-l"] : ["/run/current-system/sw/bin/login"];
  const cmd = enterCommand(info, argv);
  const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: "inherit", env: loginEnvironment(), cwd: "/" });
  if (r.error !== undefined) throw new SystemError(`cannot run nsenter: ${r.error.message}`);
  return exitStatus(r);
}

/**
 * Applies the firewall of system `storePath` to the running container (after a switch), unless
 * it is the one already applied; records it in the runtime record.
 */
export function reapplyFirewall(roots: SystemRoots, paths: ContainerPaths, info: RuntimeInfo, storePath: string): void {
  if (info.firewall === null) return;
  const cfg = toplevelFirewall(checkToplevel(roots, storePath));
  const json = JSON.stringify(cfg);
  if (info.firewallConfig === json) return;
  applyFirewall(info.leader, "eth0", cfg, info.firewall);
  const updated: RuntimeInfo = { ...info, firewallConfig: json };
  fs.writeFileSync(paths.runtimeFile + ".tmp", JSON.stringify(updated, null, 2) + "\n");
  fs.renameSync(paths.runtimeFile + ".tmp", paths.runtimeFile);
}
