// Test support: systems that follow the contract of README.md, assembled by hand from the base
// flake's scripts (flakes/base/nixos/scripts) and a static busybox, and added to a (chroot)
// store — what `base.lib.nixosSystem` builds, without the module system.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tixInstallDir } from "../flake/registries.js";
import type { LocalStore } from "../store/local-store.js";
import { nixosVersionScript, type VersionInfo } from "./version-info.js";

/** The directory holding the script templates: the base flake's, which real systems run. */
export function scriptsDir(): string {
  return path.join(tixInstallDir(), "flakes", "base", "nixos", "scripts");
}

/** A script template with `@busybox@` replaced. */
export function instantiateScript(name: string, busybox: string): string {
  return fs.readFileSync(path.join(scriptsDir(), name), "utf8").replaceAll("@busybox@", busybox);
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Adds a static busybox to the store: `bin/busybox` and a link `bin/APPLET` for each applet. */
export function addBusybox(store: LocalStore, binary = "/usr/bin/busybox"): string {
  const dir = tempDir("tix-busybox-");
  try {
    const bin = path.join(dir, "busybox", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.copyFileSync(binary, path.join(bin, "busybox"));
    fs.chmodSync(path.join(bin, "busybox"), 0o555);
    const list = spawnSync(binary, ["--list"], { encoding: "utf8" }).stdout.split("\n");
    for (const applet of list) {
      if (applet === "" || applet === "busybox" || applet.includes("/")) continue;
      fs.symlinkSync("busybox", path.join(bin, applet));
    }
    return store.addPath(path.join(dir, "busybox"), "busybox");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The busybox applets a test system's `sw/bin` offers (a few dozen keep systems small). */
const SW_APPLETS = [
  "sh", "ash", "env", "cat", "echo", "ls", "ln", "cp", "mv", "rm", "mkdir", "grep", "sed", "awk", "cut", "head", "tail",
  "sort", "tr", "wc", "id", "hostname", "readlink", "realpath", "ps", "kill", "sleep", "true", "false", "test", "wget",
  "nc", "ip", "su", "login", "nologin", "date", "uname", "touch", "chmod", "chown", "stat", "find", "xargs", "printf",
];

export interface FakeService {
  /** Body of the `run` script (a busybox sh script; `exec` the daemon in the foreground). */
  readonly run: string;
  readonly after?: readonly string[];
  readonly restart?: "always" | "on-failure" | "no";
  readonly type?: "simple" | "oneshot";
  readonly user?: string;
  /** Body of a `check` script (readiness probe). */
  readonly check?: string;
}

export interface FakeSystem {
  readonly hostName: string;
  readonly version: VersionInfo;
  readonly services?: Readonly<Record<string, FakeService>>;
  /** Files of `/etc` (relative path → contents). */
  readonly etc?: Readonly<Record<string, string>>;
  /** TCP ports the firewall lets in; null: no firewall. */
  readonly allowedTCPPorts?: readonly number[] | null;
  /** `/etc/passwd`-style lines of declared users (root is always declared). */
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
}

function writeFile(p: string, text: string, mode = 0o444): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  fs.chmodSync(p, mode);
}

/** Builds the system and adds it to the store; returns its store path. */
export function buildFakeSystem(store: LocalStore, busybox: string, sys: FakeSystem): string {
  const dir = tempDir("tix-system-");
  const label = sys.version.nixosVersion;
  const out = path.join(dir, "system");
  try {
    const sh = `${busybox}/bin/sh`;
    writeFile(path.join(out, "init"), instantiateScript("init.sh", busybox), 0o555);
    writeFile(path.join(out, "activate"), instantiateScript("activate.sh", busybox), 0o555);
    writeFile(path.join(out, "bin/switch-to-configuration"), instantiateScript("switch-to-configuration.sh", busybox), 0o555);
    writeFile(path.join(out, "bin/tix-service"), instantiateScript("tix-service.sh", busybox), 0o555);
    writeFile(path.join(out, "lib/tix-helpers.sh"), fs.readFileSync(path.join(scriptsDir(), "helpers.sh"), "utf8"), 0o444);
    writeFile(path.join(out, "nixos-version"), label);
    writeFile(path.join(out, "system"), "x86_64-linux");
    writeFile(path.join(out, "init-interface-version"), "tix-init 1");
    writeFile(path.join(out, "version-info.json"), JSON.stringify(sys.version) + "\n");

    const swBin = path.join(out, "sw/bin");
    fs.mkdirSync(swBin, { recursive: true });
    for (const applet of SW_APPLETS) fs.symlinkSync(`${busybox}/bin/${applet}`, path.join(swBin, applet));
    writeFile(path.join(swBin, "nixos-version"), nixosVersionScript(sys.version, sh), 0o555);

    const etc: Record<string, string> = {
      hostname: sys.hostName + "\n",
      "os-release": `NAME=NixOS\nID=nixos\nVERSION="${sys.version.nixosVersion} (${sys.version.nixosCodeName})"\nVERSION_ID="${sys.version.nixosVersion}"\n`,
      profile: "export PATH=/run/current-system/sw/bin:/run/current-system/sw/sbin\n",
      ...sys.etc,
    };
    for (const [rel, text] of Object.entries(etc)) writeFile(path.join(out, "etc", rel), text);

    writeFile(
      path.join(out, "users/passwd"),
      ["root:x:0:0:System administrator:/root:/run/current-system/sw/bin/sh", "nobody:x:65534:65534:Unprivileged account:/var/empty:/run/current-system/sw/bin/nologin", ...(sys.users ?? [])]
        .map((l) => l + "\n")
        .join(""),
    );
    writeFile(path.join(out, "users/group"), ["root:x:0:", "nogroup:x:65534:", ...(sys.groups ?? [])].map((l) => l + "\n").join(""));

    for (const [name, svc] of Object.entries(sys.services ?? {})) {
      const sd = path.join(out, "services", name);
      writeFile(path.join(sd, "run"), `#!${sh}\n${svc.run}\n`, 0o555);
      if (svc.check !== undefined) writeFile(path.join(sd, "check"), `#!${sh}\n${svc.check}\n`, 0o555);
      if (svc.after !== undefined) writeFile(path.join(sd, "after"), svc.after.join("\n") + "\n");
      if (svc.restart !== undefined) writeFile(path.join(sd, "restart"), svc.restart + "\n");
      if (svc.type !== undefined) writeFile(path.join(sd, "type"), svc.type + "\n");
      if (svc.user !== undefined) writeFile(path.join(sd, "user"), svc.user + "\n");
    }
    if (sys.allowedTCPPorts !== null && sys.allowedTCPPorts !== undefined) {
      writeFile(path.join(out, "firewall/allowed-tcp-ports"), sys.allowedTCPPorts.join(" ") + "\n");
    }
    return store.addPath(out, `nixos-system-${sys.hostName}-${label}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A directory with a page, added to the store (a document root for httpd). */
export function addDocumentRoot(store: LocalStore, html: string, name = "htdocs"): string {
  const dir = tempDir("tix-htdocs-");
  try {
    writeFile(path.join(dir, "htdocs", "index.html"), html);
    return store.addPath(path.join(dir, "htdocs"), name);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
