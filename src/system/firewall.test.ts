// Tests of the firewall: reading a system's firewall directory, the nftables ruleset, and the
// port ranges of the policy-routing fallback.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { complementPorts, ipRuleCommands, nftRuleset, readFirewallConfig, type FirewallConfig } from "./firewall.js";

const WEB: FirewallConfig = { allowedTCPPorts: [{ from: 80, to: 80 }], allowedUDPPorts: [], rejectPackets: false, allowPing: true };

test("a system's firewall directory: ports and ranges; no directory means no firewall", () => {
  const dir = path.join(tempDir("tix-fw-"), "firewall");
  assert.equal(readFirewallConfig(dir), null);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "allowed-tcp-ports"), "80 443\n3000-3010\n");
  assert.deepEqual(readFirewallConfig(dir), {
    allowedTCPPorts: [
      { from: 80, to: 80 },
      { from: 443, to: 443 },
      { from: 3000, to: 3010 },
    ],
    allowedUDPPorts: [],
    rejectPackets: false,
    allowPing: true,
  });
  fs.writeFileSync(path.join(dir, "allowed-udp-ports"), "70000");
  assert.throws(() => readFirewallConfig(dir), /invalid port '70000'/);
  fs.writeFileSync(path.join(dir, "enable"), "0\n");
  assert.equal(readFirewallConfig(dir), null);
});

test("the nftables ruleset replaces tix's table and drops what is not allowed", () => {
  assert.equal(
    nftRuleset(WEB),
    "table inet tix-firewall\ndelete table inet tix-firewall\n" +
      "table inet tix-firewall {\n  chain input {\n    type filter hook input priority filter; policy drop;\n" +
      '    iifname "lo" accept\n    ct state established,related accept\n    meta l4proto ipv6-icmp accept\n' +
      "    icmp type echo-request accept\n    tcp dport { 80 } accept\n  }\n}\n",
  );
  assert.match(nftRuleset({ ...WEB, rejectPackets: true }), /reject with tcp reset\n    reject\n/);
  assert.equal(nftRuleset(null), "table inet tix-firewall\ndelete table inet tix-firewall\n");
});

test("the fallback prohibits every port but the allowed ones and its ephemeral range", () => {
  assert.deepEqual(complementPorts([{ from: 80, to: 80 }, { from: 60000, to: 60999 }]), [
    { from: 1, to: 79 },
    { from: 81, to: 59999 },
    { from: 61000, to: 65535 },
  ]);
  assert.deepEqual(complementPorts([{ from: 1, to: 65535 }]), []);
  const tcp = ipRuleCommands(WEB, "eth0").filter((c) => c.includes("tcp")).map((c) => c[c.indexOf("dport") + 1]);
  assert.deepEqual(tcp, ["1-79", "81-59999", "61000-65534"]);
});
