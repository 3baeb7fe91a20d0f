// The firewall of a container's network namespace (`networking.firewall`): read from the
// system's `firewall/` directory and enforced from the host with nftables, or, where `nft` is
// not installed, with policy-routing rules (`ip rule … prohibit`) as a fallback.

import * as fs from "node:fs";
import * as path from "node:path";
import { SystemError } from "./errors.js";
import { findProgram, run, runChecked } from "./exec.js";

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export interface FirewallConfig {
  readonly allowedTCPPorts: readonly PortRange[];
  readonly allowedUDPPorts: readonly PortRange[];
  /** Refuse (TCP reset / ICMP unreachable) instead of silently dropping. */
  readonly rejectPackets: boolean;
  readonly allowPing: boolean;
}

export type FirewallBackend = "nft" | "iprule";

function parsePorts(text: string, file: string): PortRange[] {
  const out: PortRange[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const m = /^([0-9]+)(?:[-:]([0-9]+))?$/.exec(word);
    const from = m === null ? NaN : Number(m[1]);
    const to = m === null ? NaN : m[2] === undefined ? from : Number(m[2]);
    if (!(from >= 1 && to <= 65535 && from <= to)) throw new SystemError(`${file}: invalid port '${word}'`);
    out.push({ from, to });
  }
  return out;
}

function readOptional(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The firewall of a system from its `firewall/` directory; null when it has none (disabled). */
export function readFirewallConfig(dir: string): FirewallConfig | null {
  if (!fs.existsSync(dir)) return null;
  if ((readOptional(path.join(dir, "enable")) ?? "1").trim() === "0") return null;
  const tcpFile = path.join(dir, "allowed-tcp-ports");
  const udpFile = path.join(dir, "allowed-udp-ports");
  return {
    allowedTCPPorts: parsePorts(readOptional(tcpFile) ?? "", tcpFile),
    allowedUDPPorts: parsePorts(readOptional(udpFile) ?? "", udpFile),
    rejectPackets: (readOptional(path.join(dir, "reject-packets")) ?? "0").trim() === "1",
    allowPing: (readOptional(path.join(dir, "allow-ping")) ?? "1").trim() !== "0",
  };
}

const TABLE = "tix-firewall";

function nftSet(ports: readonly PortRange[]): string {
  return `{ ${ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(", ")} }`;
}

/** An nft script that replaces tix's table with the firewall (or just removes it, for null). */
export function nftRuleset(cfg: FirewallConfig | null): string {
  let s = `table inet ${TABLE}\ndelete table inet ${TABLE}\n`;
  if (cfg === null) return s;
  const rules = [
    `iifname "lo" accept`,
    `ct state established,related accept`,
    `meta l4proto ipv6-icmp accept`,
  ];
  if (cfg.allowPing) rules.push(`icmp type echo-request accept`);
  if (cfg.allowedTCPPorts.length > 0) rules.push(`tcp dport ${nftSet(cfg.allowedTCPPorts)} accept`);
  if (cfg.allowedUDPPorts.length > 0) rules.push(`udp dport ${nftSet(cfg.allowedUDPPorts)} accept`);
  if (cfg.rejectPackets) {
    rules.push(`meta l4proto tcp reject with tcp reset`);
    rules.push(`reject`);
  }
  s += `table inet ${TABLE} {\n  chain input {\n    type filter hook input priority filter; policy drop;\n`;
  for (const r of rules) s += `    ${r}\n`;
  s += `  }\n}\n`;
  return s;
}

/** The port ranges of 1…65535 not covered by `allowed` (sorted, merged). */
export function complementPorts(allowed: readonly PortRange[]): PortRange[] {
  const sorted = [...allowed].sort((a, b) => a.from - b.from);
  const out: PortRange[] = [];
  let next = 1;
  for (const r of sorted) {
    if (r.from > next) out.push({ from: next, to: r.from - 1 });
    next = Math.max(next, r.to + 1);
  }
  if (next <= 65535) out.push({ from: next, to: 65535 });
  return out;
}

/** Ports that replies to the namespace's own outgoing connections use (kept open by the fallback). */
export const FALLBACK_EPHEMERAL: PortRange = { from: 60000, to: 60999 };
const RULE_PRIORITY = 50;
const LOCAL_PRIORITY = 100;

/**
 * The `ip` commands of the fallback: packets arriving on `iface` for a port that is neither
 * allowed nor in FALLBACK_EPHEMERAL hit a `prohibit` rule before the local routing table is
 * consulted, so they never reach a socket. Stateless: it cannot tell replies from new
 * connections, hence the ephemeral range the namespace is told to use for its own connections.
 * Port 65535 cannot be named in a rule, so it is not covered.
 */
export function ipRuleCommands(cfg: FirewallConfig, iface: string): string[][] {
  const cmds: string[][] = [];
  for (const [proto, allowed] of [
    ["tcp", cfg.allowedTCPPorts],
    ["udp", cfg.allowedUDPPorts],
  ] as const) {
    for (const r of complementPorts([...allowed, FALLBACK_EPHEMERAL])) {
      // iproute2 rejects port 65535 in a rule (it stays open under the fallback).
      const to = Math.min(r.to, 65534);
      if (r.from > to) continue;
      const dport = r.from === to ? `${r.from}` : `${r.from}-${to}`;
      cmds.push(["rule", "add", "priority", `${RULE_PRIORITY}`, "iif", iface, "ipproto", proto, "dport", dport, "prohibit"]);
    }
  }
  return cmds;
}

/** The backend to use: $TIX_FIREWALL_BACKEND if set, else nft when installed, else iprule. */
export function chooseFirewallBackend(): FirewallBackend {
  const forced = process.env["TIX_FIREWALL_BACKEND"];
  if (forced === "nft" || forced === "iprule") return forced;
  if (forced !== undefined && forced !== "") throw new SystemError(`TIX_FIREWALL_BACKEND must be 'nft' or 'iprule', not '${forced}'`);
  return findProgram("nft") !== null ? "nft" : "iprule";
}

function inNetns(pid: number, argv: readonly string[]): string[] {
  return ["nsenter", "-t", `${pid}`, "-n", "--", ...argv];
}

function clearIpRules(pid: number): void {
  for (let i = 0; i < 1000; i++) {
    if (run(inNetns(pid, ["ip", "rule", "del", "priority", `${RULE_PRIORITY}`])).status !== 0) break;
  }
}

/**
 * Enforces `cfg` (null: no firewall) in the network namespace of process `pid`, whose
 * outside interface is `iface`. Replaces whatever tix applied there before.
 */
export function applyFirewall(pid: number, iface: string, cfg: FirewallConfig | null, backend: FirewallBackend): void {
  if (backend === "nft") {
    runChecked(inNetns(pid, ["nft", "-f", "-"]), { input: nftRuleset(cfg) });
    return;
  }
  clearIpRules(pid);
  if (cfg === null) return;
  const rules = run(inNetns(pid, ["ip", "rule", "show"])).stdout;
  if (!new RegExp(`^${LOCAL_PRIORITY}:\\s+from all lookup local`, "m").test(rules)) {
    runChecked(inNetns(pid, ["ip", "rule", "add", "priority", `${LOCAL_PRIORITY}`, "lookup", "local"]));
  }
  if (/^0:\s+from all lookup local/m.test(rules)) runChecked(inNetns(pid, ["ip", "rule", "del", "priority", "0", "lookup", "local"]));
  const range = `${FALLBACK_EPHEMERAL.from} ${FALLBACK_EPHEMERAL.to}`;
  runChecked(inNetns(pid, ["sh", "-c", `echo '${range}' > /proc/sys/net/ipv4/ip_local_port_range`]));
  for (const c of ipRuleCommands(cfg, iface)) runChecked(inNetns(pid, ["ip", ...c]));
}
