// A container's configuration file (`/etc/nixos-containers/NAME.conf`, shell-style KEY=VALUE
// lines, spec §6.3), container names, `REF#ATTR` splitting and address allocation.

import { SystemError } from "./errors.js";

export class ContainerConfig {
  /** KEY → VALUE in file order (keys tix does not know are kept). */
  readonly values: Map<string, string>;

  constructor(values: Iterable<[string, string]> = []) {
    this.values = new Map(values);
  }

  get(key: string): string | null {
    const v = this.values.get(key);
    return v === undefined || v === "" ? null : v;
  }

  get privateNetwork(): boolean {
    return this.get("PRIVATE_NETWORK") === "1";
  }
  get hostAddress(): string | null {
    return this.get("HOST_ADDRESS");
  }
  get localAddress(): string | null {
    return this.get("LOCAL_ADDRESS");
  }
  get hostAddress6(): string | null {
    return this.get("HOST_ADDRESS6");
  }
  get localAddress6(): string | null {
    return this.get("LOCAL_ADDRESS6");
  }
  get hostBridge(): string | null {
    return this.get("HOST_BRIDGE");
  }
  get hostPort(): string | null {
    return this.get("HOST_PORT");
  }
  get autoStart(): boolean {
    return this.get("AUTO_START") === "1";
  }
  get flake(): string | null {
    return this.get("FLAKE");
  }
  get systemPath(): string | null {
    return this.get("SYSTEM_PATH");
  }
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}

export function parseContainerConfig(text: string): ContainerConfig {
  const entries: [string, string][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m !== null) entries.push([m[1]!, unquote(m[2]!)]);
  }
  return new ContainerConfig(entries);
}

export interface NewContainerConfig {
  readonly hostAddress: string;
  readonly localAddress: string;
  readonly hostBridge?: string | null;
  readonly hostPort?: string | null;
  readonly autoStart?: boolean;
  readonly flake?: string | null;
}

/** The file `create` writes: exactly these lines, in this order. */
export function formatNewContainerConfig(c: NewContainerConfig): string {
  let s =
    `PRIVATE_NETWORK=1\n` +
    `HOST_ADDRESS=${c.hostAddress}\n` +
    `LOCAL_ADDRESS=${c.localAddress}\n` +
    `HOST_BRIDGE=${c.hostBridge ?? ""}\n` +
    `HOST_PORT=${c.hostPort ?? ""}\n` +
    `AUTO_START=${c.autoStart ? 1 : 0}\n`;
  if (c.flake !== null && c.flake !== undefined) s += `FLAKE=${c.flake}\n`;
  return s;
}

export const MAX_NAME_LENGTH = 11;

/** Checks a container name ([a-zA-Z0-9_-]+, at most 11 characters so `ve-NAME` fits 15). */
export function checkContainerName(name: string): void {
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) throw new SystemError("invalid container name");
  if (name.length > MAX_NAME_LENGTH) throw new SystemError(`container name ‘${name}’ is too long`);
}

/** Splits `REF#ATTR` at a trailing `#ATTR` (no `#` or `"` in ATTR); ATTR defaults to `container`. */
export function splitFlakeAttr(ref: string, defaultAttr = "container"): { ref: string; attr: string } {
  const m = /^(.*)#([^#"]*)$/.exec(ref);
  if (m === null) return { ref, attr: defaultAttr };
  return { ref: m[1]!, attr: m[2] === "" ? defaultAttr : m[2]! };
}

/** An address without its `/PREFIX`. */
export function stripPrefix(address: string): string {
  const i = address.indexOf("/");
  return i < 0 ? address : address.slice(0, i);
}

/**
 * The first X in 1…254 such that neither 10.233.X.1 nor 10.233.X.2 is used as a host or
 * local address by an existing container; host gets .1, container .2.
 */
export function allocateAddresses(existing: Iterable<ContainerConfig>): { hostAddress: string; localAddress: string } {
  const used = new Set<string>();
  for (const c of existing) {
    for (const a of [c.hostAddress, c.localAddress]) if (a !== null) used.add(stripPrefix(a));
  }
  for (let x = 1; x <= 254; x++) {
    const host = `10.233.${x}.1`;
    const local = `10.233.${x}.2`;
    if (!used.has(host) && !used.has(local)) return { hostAddress: host, localAddress: local };
  }
  throw new SystemError("out of IP addresses");
}
