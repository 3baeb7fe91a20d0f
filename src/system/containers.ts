// Imperative containers (`nixos-container`, spec §6): create, update, destroy, start/stop,
// status, list, run — the bookkeeping (configuration files, addresses, per-container profiles);
// container-runtime.ts does the running.

import * as fs from "node:fs";
import * as path from "node:path";
import { withLock } from "../store/lock.js";
import {
  allocateAddresses,
  checkContainerName,
  formatNewContainerConfig,
  parseContainerConfig,
  splitFlakeAttr,
  stripPrefix,
  type ContainerConfig,
} from "./container-config.js";
import { containerDirs, containerPaths, type ContainerDirs, type ContainerPaths } from "./container-paths.js";
import {
  GUEST_PROFILE,
  loginToContainer,
  readRuntime,
  reapplyFirewall,
  runInContainer,
  startContainer,
  stopContainer,
  type RuntimeInfo,
} from "./container-runtime.js";
import { ReportedBuildFailure, SystemError } from "./errors.js";
import { requireRoot } from "./exec.js";
import { profileStorePath, removeProfile, setProfile } from "./profiles.js";
import type { SystemRoots } from "./roots.js";
import type { SystemBuilder } from "./system-builder.js";
import { toplevelAttrPath } from "./system-builder.js";
import type { SystemStore } from "./system-store.js";
import { checkToplevel } from "./toplevel.js";

export interface ContainerContext {
  readonly roots: SystemRoots;
  readonly store: SystemStore;
  /** Builds a flake's system (`--flake`). */
  readonly buildSystem: SystemBuilder;
  /**
   * Builds the system of a configuration.nix-style module written for the container
   * (`--config`, `--config-file`); without it those options are refused.
   */
  readonly buildConfiguration?: (configurationFile: string, name: string) => Promise<string>;
  /** Prints a message on stderr. */
  readonly message: (line: string) => void;
}

export interface CreateOptions {
  readonly name: string;
  /** `REF[#ATTR]`. */
  readonly flake?: string | null;
  readonly systemPath?: string | null;
  readonly config?: string | null;
  readonly configFile?: string | null;
  readonly ensureUniqueName?: boolean;
  readonly autoStart?: boolean;
  readonly bridge?: string | null;
  readonly port?: string | null;
  readonly hostAddress?: string | null;
  readonly localAddress?: string | null;
  readonly nixFlags?: readonly string[];
}

export interface UpdateOptions {
  readonly flake?: string | null;
  readonly systemPath?: string | null;
  readonly config?: string | null;
  readonly configFile?: string | null;
  readonly nixFlags?: readonly string[];
}

const NOT_CONTAINERS = new Set(["libpod.conf", "containers.conf", "registries.conf"]);

/** Names of all containers (the `*.conf` files). */
export function listContainers(roots: SystemRoots): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(containerDirs(roots).confDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".conf") && !NOT_CONTAINERS.has(n))
    .map((n) => n.slice(0, -".conf".length))
    .sort();
}

function readConfigFile(file: string): ContainerConfig | null {
  try {
    return parseContainerConfig(fs.readFileSync(file, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** The container's configuration; an error if it does not exist. */
export function containerConfig(roots: SystemRoots, name: string): ContainerConfig {
  checkContainerName(name);
  const conf = readConfigFile(containerPaths(roots, name).confFile);
  if (conf === null) throw new SystemError(`container ‘${name}’ does not exist`);
  return conf;
}

function allConfigs(roots: SystemRoots): ContainerConfig[] {
  const dirs = containerDirs(roots);
  return listContainers(roots).flatMap((n) => {
    const c = readConfigFile(path.join(dirs.confDir, `${n}.conf`));
    return c === null ? [] : [c];
  });
}

function profileLinkHook(ctx: ContainerContext): (link: string) => void {
  return (link) => ctx.store.registerProfileLink(link);
}

/** Builds (flake or configuration) or checks (system path) the system an option set names. */
async function obtainSystem(ctx: ContainerContext, name: string, paths: ContainerPaths, o: UpdateOptions, what: "create" | "update"): Promise<string> {
  if (o.flake) {
    const { ref, attr } = splitFlakeAttr(o.flake);
    let out: string;
    try {
      out = await ctx.buildSystem({ flakeRef: ref, attrPath: toplevelAttrPath(attr), nixFlags: o.nixFlags ?? [] });
    } catch (e) {
      // The build has said what went wrong; other failures of the hook say it here.
      const detail = e instanceof Error && e.message && !(e instanceof ReportedBuildFailure) ? `\n${e.message}` : "";
      throw new SystemError(`failed to build container from flake '${ref}'${detail}`);
    }
    const sp = ctx.store.resolveSystemPath(out);
    checkToplevel(ctx.roots, sp);
    return sp;
  }
  if (o.systemPath) {
    const sp = ctx.store.resolveSystemPath(o.systemPath);
    checkToplevel(ctx.roots, sp);
    return sp;
  }
  // A configuration.nix-style module in the container's /etc/nixos.
  const file = path.join(paths.rootDir, "etc/nixos/configuration.nix");
  if (what === "create" || o.config || o.configFile) writeConfigurationNix(file, name, o);
  if (ctx.buildConfiguration === undefined) {
    if (what === "update" && !o.config && !o.configFile) {
      // No option named the system, and the container was not created from a flake.
      throw new SystemError(
        `container ‘${name}’ records no flake, and rebuilding its /etc/nixos/configuration.nix is not supported yet; use --flake or --system-path`,
      );
    }
    throw new SystemError("building a container from --config/--config-file is not supported yet; use --flake or --system-path");
  }
  const sp = ctx.store.resolveSystemPath(await ctx.buildConfiguration(file, name));
  checkToplevel(ctx.roots, sp);
  return sp;
}

function writeConfigurationNix(file: string, name: string, o: UpdateOptions): void {
  const body = o.configFile ? `imports = [ ${path.resolve(o.configFile)} ];` : (o.config ?? "");
  const text =
    `{ config, lib, pkgs, ... }:\n\nwith lib;\n\n{ boot.isContainer = true;\n` +
    `  networking.hostName = mkDefault "${name}";\n  networking.useDHCP = false;\n  ${body}\n}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function removeContainerState(paths: ContainerPaths): void {
  removeProfile(paths.profile);
  fs.rmSync(paths.profileDir, { recursive: true, force: true });
  fs.rmSync(paths.gcrootsDir, { recursive: true, force: true });
  removeRootDir(paths.rootDir);
  fs.rmSync(paths.confFile, { force: true });
  fs.rmSync(paths.logFile, { force: true });
  fs.rmSync(paths.runtimeFile, { force: true });
}

/** Deletes a container's root, refusing if anything is mounted below it. */
function removeRootDir(dir: string): void {
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  const prefix = path.resolve(dir) + "/";
  for (const line of mounts) {
    const mountPoint = line.split(" ")[4];
    if (mountPoint !== undefined && (mountPoint + "/").startsWith(prefix)) {
      throw new SystemError(`cannot remove ${dir}: ${mountPoint} is mounted`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `create`: writes the configuration, allocates addresses, builds and installs the system. */
export async function createContainer(ctx: ContainerContext, o: CreateOptions): Promise<{ name: string; hostAddress: string; localAddress: string }> {
  if (o.config && o.configFile) throw new SystemError("--config and --config-file are mutually exclusive");
  if (o.hostAddress && !o.localAddress) throw new SystemError("With --host-address set, --local-address is required as well!");
  if (o.localAddress && !o.hostAddress) throw new SystemError("With --local-address set, --host-address is required as well!");
  checkContainerName(o.name);
  const dirs = containerDirs(ctx.roots);
  fs.mkdirSync(path.dirname(dirs.lockFile), { recursive: true });
  const { name, hostAddress, localAddress } = withLock(dirs.lockFile, () => {
    let name = o.name;
    if (o.ensureUniqueName) {
      for (let i = 0; ; i++) {
        const p = containerPaths(ctx.roots, name);
        if (!fs.existsSync(p.confFile) && !fs.existsSync(p.rootDir)) break;
        name = `${o.name}-${i}`;
      }
    }
    const p = containerPaths(ctx.roots, name);
    if (fs.existsSync(p.confFile)) throw new SystemError(`container ‘${name}’ already exists`);
    checkContainerName(name);
    const addrs = o.hostAddress && o.localAddress ? { hostAddress: o.hostAddress, localAddress: o.localAddress } : allocateAddresses(allConfigs(ctx.roots));
    fs.mkdirSync(dirs.confDir, { recursive: true });
    const flakeRef = o.flake ? splitFlakeAttr(o.flake).ref : null;
    fs.writeFileSync(
      p.confFile,
      formatNewContainerConfig({ ...addrs, hostBridge: o.bridge, hostPort: o.port, autoStart: o.autoStart, flake: flakeRef }),
    );
    return { name, ...addrs };
  });
  ctx.message(`host IP is ${stripPrefix(hostAddress)}, container IP is ${stripPrefix(localAddress)}`);

  const paths = containerPaths(ctx.roots, name);
  try {
    fs.mkdirSync(dirs.profilesDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dirs.profilesDir, 0o700);
    fs.mkdirSync(paths.profileDir, { recursive: true, mode: 0o755 });
    fs.mkdirSync(paths.gcrootsDir, { recursive: true, mode: 0o755 });
    const system = await obtainSystem(ctx, name, paths, o, "create");
    setProfile(paths.profile, system, { onNewLink: profileLinkHook(ctx) });
  } catch (e) {
    removeContainerState(paths);
    if (e instanceof SystemError && !o.flake && !o.systemPath && !/not supported yet/.test(e.message)) {
      throw new SystemError(`failed to build initial container configuration\n${e.message}`);
    }
    throw e;
  }
  return { name, hostAddress, localAddress };
}

/** `destroy`: stops the container and removes everything it has (nothing if it does not exist). */
export function destroyContainer(ctx: ContainerContext, name: string): void {
  checkContainerName(name);
  const paths = containerPaths(ctx.roots, name);
  if (!fs.existsSync(paths.confFile)) return;
  if (isDeclarative(paths.confFile)) {
    throw new SystemError("cannot destroy declarative container (remove it from your configuration.nix instead)");
  }
  stopContainer(containerDirs(ctx.roots), paths, { force: true });
  removeContainerState(paths);
}

/** Declarative containers' files come from the system (links into the store, or read-only). */
function isDeclarative(file: string): boolean {
  try {
    if (fs.lstatSync(file).isSymbolicLink() && fs.readlinkSync(file).startsWith("/nix/store/")) return true;
    fs.accessSync(file, fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/** `update`: builds the new system, makes it the profile's generation, and switches a running container to it. */
export async function updateContainer(ctx: ContainerContext, name: string, o: UpdateOptions): Promise<string> {
  const conf = containerConfig(ctx.roots, name);
  const paths = containerPaths(ctx.roots, name);
  const opts: UpdateOptions = o.flake || o.systemPath || o.config || o.configFile ? o : { ...o, flake: conf.flake };
  const system = await obtainSystem(ctx, name, paths, opts, "update");
  setProfile(paths.profile, system, { onNewLink: profileLinkHook(ctx) });
  const info = readRuntime(paths);
  if (info !== null) {
    ctx.message("reloading container...");
    const status = runInContainer(info, [`${conf.systemPath ?? GUEST_PROFILE}/bin/switch-to-configuration`, "test"]);
    reapplyFirewall(ctx.roots, paths, info, conf.systemPath ?? system);
    if (status !== 0) throw new SystemError(`failed to reload container (switch-to-configuration exited with status ${status})`);
  }
  return system;
}

export async function startNamedContainer(ctx: ContainerContext, name: string): Promise<RuntimeInfo> {
  // Before anything else: as another user the profile may be unreadable, which would look like a
  // container without a system and start a build.
  requireRoot("starting a container");
  let conf = containerConfig(ctx.roots, name);
  const paths = containerPaths(ctx.roots, name);
  if (conf.flake !== null && conf.systemPath === null && profileStorePath(paths.profile) === null) {
    await updateContainer(ctx, name, {});
    conf = containerConfig(ctx.roots, name);
  }
  if (conf.hostPort !== null) ctx.message(`warning: HOST_PORT (port forwarding) is not supported yet; ignoring '${conf.hostPort}'`);
  try {
    return await startContainer({ roots: ctx.roots, dirs: containerDirs(ctx.roots), paths, conf });
  } catch (e) {
    if (e instanceof SystemError && e.message.startsWith("failed to start container")) throw e;
    throw new SystemError(`failed to start container\n${(e as Error).message}`);
  }
}

export function stopNamedContainer(ctx: ContainerContext, name: string, force = false): boolean {
  containerConfig(ctx.roots, name);
  return stopContainer(containerDirs(ctx.roots), containerPaths(ctx.roots, name), { force });
}

/** `up`, `down`, or `gone` (no such container). */
export function containerStatus(roots: SystemRoots, name: string): "up" | "down" | "gone" {
  checkContainerName(name);
  const paths = containerPaths(roots, name);
  if (!fs.existsSync(paths.confFile)) return "gone";
  return readRuntime(paths) !== null ? "up" : "down";
}

/** `show-ip`: the container's address without prefix. */
export function containerIp(roots: SystemRoots, name: string): string {
  const conf = containerConfig(roots, name);
  const a = conf.localAddress ?? conf.localAddress6;
  if (a === null) throw new SystemError("cannot get IP address");
  return stripPrefix(a);
}

/** `show-host-key`: the container's public SSH host key (ed25519, else ecdsa), or null. */
export function containerHostKey(roots: SystemRoots, name: string): string | null {
  containerConfig(roots, name);
  const root = containerPaths(roots, name).rootDir;
  for (const k of ["ssh_host_ed25519_key.pub", "ssh_host_ecdsa_key.pub"]) {
    try {
      return fs.readFileSync(path.join(root, "etc/ssh", k), "utf8");
    } catch {
      // try the next kind
    }
  }
  return null;
}

function runningInfo(roots: SystemRoots, name: string): RuntimeInfo {
  containerConfig(roots, name);
  const info = readRuntime(containerPaths(roots, name));
  if (info === null) throw new SystemError(`container ‘${name}’ is not running`);
  return info;
}

/** `run NAME -- ARGS`: the command's exit status. */
export function runInNamedContainer(roots: SystemRoots, name: string, argv: readonly string[]): number {
  return runInContainer(runningInfo(roots, name), argv);
}

/** `root-login` (a root shell) and `login` (the system's login program). */
export function loginToNamedContainer(roots: SystemRoots, name: string, program: "shell" | "login"): number {
  return loginToContainer(runningInfo(roots, name), program);
}

export type { ContainerDirs, ContainerPaths };
