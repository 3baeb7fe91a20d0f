// A container's private network (spec §6.4): a veth pair with `ve-NAME` on the host and `eth0` in
// the container's namespace, addressed from HOST_ADDRESS/LOCAL_ADDRESS (a bare address is a /32,
// with routes to the other end), or `vb-NAME` enslaved to HOST_BRIDGE.

import * as fs from "node:fs";
import type { ContainerConfig } from "./container-config.js";
import { stripPrefix } from "./container-config.js";
import { run, runChecked } from "./exec.js";

/** The host side of the container's veth pair. */
export function hostInterfaceName(name: string, conf: ContainerConfig): string {
  return conf.hostBridge !== null ? `vb-${name}` : `ve-${name}`;
}

/** The interfaces of this process's network namespace (from /proc/net/dev, without running ip). */
export function interfaceNames(): string[] {
  let text: string;
  try {
    text = fs.readFileSync("/proc/net/dev", "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .slice(2)
    .map((l) => l.split(":")[0]!.trim())
    .filter((n) => n !== "");
}

export function interfaceExists(ifname: string): boolean {
  return interfaceNames().includes(ifname);
}

/** Deletes the host side of a container's veth pair (either name), if present. */
export function removeHostInterfaces(name: string): void {
  const present = [`ve-${name}`, `vb-${name}`].filter(interfaceExists);
  if (present.length === 0) return;
  run(["ip", "-force", "-batch", "-"], { input: present.map((i) => `link del dev ${i}\n`).join("") });
}

/** Creates and addresses the veth pair between the host and the namespace of process `leader`. */
export function setupNetwork(name: string, leader: number, conf: ContainerConfig): void {
  const hostIf = hostInterfaceName(name, conf);
  removeHostInterfaces(name);
  const pairs: [string | null, string | null][] = [
    [conf.hostAddress, conf.localAddress],
    [conf.hostAddress6, conf.localAddress6],
  ];
  const host = [`link add ${hostIf} type veth peer name eth0 netns ${leader}`];
  if (conf.hostBridge !== null) host.push(`link set dev ${hostIf} master ${conf.hostBridge}`);
  host.push(`link set dev ${hostIf} up`);
  if (conf.hostBridge === null) {
    for (const [h, l] of pairs) {
      if (h !== null) host.push(`addr add ${h} dev ${hostIf}`);
      if (l !== null) host.push(`route add ${l} dev ${hostIf}`);
    }
  }
  runChecked(["ip", "-batch", "-"], { input: host.join("\n") + "\n" });

  const guest = ["link set dev lo up", "link set dev eth0 up"];
  for (const [h, l] of pairs) {
    if (l !== null) guest.push(`addr add ${l} dev eth0`);
    if (h !== null) {
      guest.push(`route add ${stripPrefix(h)} dev eth0`);
      guest.push(`route add default via ${stripPrefix(h)}`);
    }
  }
  runChecked(["nsenter", "-t", `${leader}`, "-n", "--", "ip", "-batch", "-"], { input: guest.join("\n") + "\n" });
}
