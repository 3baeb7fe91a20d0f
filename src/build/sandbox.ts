// The build sandbox (bubblewrap): only the input closure of the store, read-only; a writable store
// directory for the outputs; a private /build, /tmp, /dev, /proc; no network unless fixed-output.

import * as fs from "node:fs";
import * as path from "node:path";
import type { SandboxPath } from "./settings.js";

/** The user and group builders run as inside the sandbox (Nix's `nixbld`). */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 100;
/** Where the build directory appears inside the sandbox. */
export const SANDBOX_BUILD_DIR = "/build";

export interface SandboxOptions {
  /** A fresh directory for this build's sandbox files; its `nix/store` receives the outputs. */
  readonly chrootDir: string;
  /** The logical store directory (`/nix/store`). */
  readonly storeDir: string;
  /** Maps a logical store path to where it is on disk. */
  readonly toPhysical: (logical: string) => string;
  /** Store paths the builder may see (the input closure), logical. */
  readonly inputPaths: Iterable<string>;
  /** The build directory on the host (mounted on /build). */
  readonly buildDir: string;
  /** Fixed-output derivations keep the host's network (and its resolv.conf, services, hosts). */
  readonly network: boolean;
  readonly sandboxPaths: readonly SandboxPath[];
  /** The CA bundle a build with the network sees (when it exists), as in modern Nix. */
  readonly caFile?: string;
}

/** Where a logical store path ends up in the sandbox's store directory on the host. */
export function chrootLocation(chrootDir: string, logical: string): string {
  return path.join(chrootDir, logical);
}

const PASSWD =
  `root:x:0:0:Nix build user:${SANDBOX_BUILD_DIR}:/noshell\n` +
  `nixbld:x:${SANDBOX_UID}:${SANDBOX_GID}:Nix build user:${SANDBOX_BUILD_DIR}:/noshell\n` +
  "nobody:x:65534:65534:Nobody:/:/noshell\n";
const GROUP = `root:x:0:\nnixbld:!:${SANDBOX_GID}:\nnogroup:x:65534:\n`;
const HOSTS = "127.0.0.1 localhost\n::1 localhost\n";
/** Name lookups of fixed-output builds (which have the network) go to the host's files and DNS. */
const NSSWITCH = "hosts: files dns\nservices: files\n";

/**
 * Prepares `chrootDir` (its store directory, /etc files, symlinked inputs) and returns the
 * bubblewrap arguments that run a command in the sandbox (the command and its arguments follow).
 */
export function sandboxArgs(opts: SandboxOptions): string[] {
  const store = path.join(opts.chrootDir, opts.storeDir);
  fs.mkdirSync(store, { recursive: true });
  fs.chmodSync(store, 0o1775);
  const etc = path.join(opts.chrootDir, "etc");
  fs.mkdirSync(etc, { recursive: true });
  fs.writeFileSync(path.join(etc, "passwd"), PASSWD);
  fs.writeFileSync(path.join(etc, "group"), GROUP);
  if (!opts.network) fs.writeFileSync(path.join(etc, "hosts"), HOSTS);
  else fs.writeFileSync(path.join(etc, "nsswitch.conf"), NSSWITCH);

  const args = [
    "--unshare-user",
    "--unshare-ipc",
    "--unshare-pid",
    // The builder is the sandbox's process 1, as in Nix (`$$` is 1; signals it does not handle, sent
    // from inside, do not end it).
    "--as-pid-1",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(opts.network ? [] : ["--unshare-net"]),
    "--uid", String(SANDBOX_UID),
    "--gid", String(SANDBOX_GID),
    "--hostname", "localhost",
    "--die-with-parent",
    "--new-session",
    "--perms", "0755", "--dir", path.dirname(opts.storeDir),
    "--bind", store, opts.storeDir,
  ];
  for (const p of [...new Set(opts.inputPaths)].sort()) {
    const phys = opts.toPhysical(p);
    const target = chrootLocation(opts.chrootDir, p);
    const st = fs.lstatSync(phys);
    if (st.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(phys), target);
      continue;
    }
    if (st.isDirectory()) fs.mkdirSync(target);
    else fs.writeFileSync(target, "");
    args.push("--ro-bind", phys, p);
  }
  args.push(
    "--bind", opts.buildDir, SANDBOX_BUILD_DIR,
    "--perms", "0755", "--dir", "/etc",
    "--ro-bind", path.join(etc, "passwd"), "/etc/passwd",
    "--ro-bind", path.join(etc, "group"), "/etc/group",
  );
  if (opts.network) {
    for (const f of ["/etc/resolv.conf", "/etc/services", "/etc/hosts"]) args.push("--ro-bind-try", f, f);
    args.push("--ro-bind", path.join(etc, "nsswitch.conf"), "/etc/nsswitch.conf");
    if (opts.caFile !== undefined && fs.existsSync(opts.caFile)) {
      args.push("--perms", "0755", "--dir", "/etc/ssl", "--perms", "0755", "--dir", "/etc/ssl/certs");
      args.push("--ro-bind", opts.caFile, "/etc/ssl/certs/ca-certificates.crt");
    }
  } else {
    args.push("--ro-bind", path.join(etc, "hosts"), "/etc/hosts");
  }
  for (const sp of opts.sandboxPaths) {
    if (!fs.existsSync(sp.host)) {
      if (sp.optional) continue;
      throw new Error(`path '${sp.host}' (in 'sandbox-paths') does not exist`);
    }
    const parent = path.dirname(sp.inside);
    if (parent !== "/") args.push("--perms", "0755", "--dir", parent);
    args.push("--ro-bind", sp.host, sp.inside);
  }
  args.push(
    "--dev", "/dev",
    "--perms", "1777", "--tmpfs", "/dev/shm",
    "--proc", "/proc",
    "--perms", "1777", "--tmpfs", "/tmp",
    // The builder owns the sandbox's root and /dev (it maps to the user bubblewrap ran as): as in
    // Nix, where they belong to root, it may write only to /build, /tmp, /dev/shm and the store.
    "--remount-ro", "/",
    "--remount-ro", "/dev",
    "--chdir", SANDBOX_BUILD_DIR,
  );
  return args;
}

/**
 * Bubblewrap arguments for an unsandboxed build in a store whose physical location differs from
 * /nix/store: the host file system as it is (every top-level directory bound, so nothing is ever
 * created on the host), with the store directory mounted where builders expect it.
 */
export function divertedStoreArgs(realStoreDir: string, storeDir: string, buildDir: string): string[] {
  const top = storeDir.split("/")[1]!;
  const args: string[] = [];
  for (const name of fs.readdirSync("/").sort()) {
    if (name === top) continue;
    const p = `/${name}`;
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(p), p);
    else if (st.isDirectory()) args.push("--dev-bind", p, p);
  }
  args.push("--bind", realStoreDir, storeDir, "--die-with-parent", "--chdir", buildDir);
  return args;
}
