// Tests of container configuration files, names, flake references and address allocation.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  allocateAddresses,
  checkContainerName,
  formatNewContainerConfig,
  parseContainerConfig,
  splitFlakeAttr,
} from "./container-config.js";

test("create writes exactly NixOS's lines, in order", () => {
  assert.equal(
    formatNewContainerConfig({ hostAddress: "10.233.4.1", localAddress: "10.233.4.2", flake: "/path/to/my-flake" }),
    "PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.4.1\nLOCAL_ADDRESS=10.233.4.2\nHOST_BRIDGE=\nHOST_PORT=\nAUTO_START=0\nFLAKE=/path/to/my-flake\n",
  );
  assert.equal(
    formatNewContainerConfig({ hostAddress: "10.233.1.1", localAddress: "10.233.1.2", autoStart: true }),
    "PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.1.1\nLOCAL_ADDRESS=10.233.1.2\nHOST_BRIDGE=\nHOST_PORT=\nAUTO_START=1\n",
  );
});

test("configuration files parse back, empty values reading as unset", () => {
  const c = parseContainerConfig("PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.4.1\nLOCAL_ADDRESS=10.233.4.2/24\nHOST_BRIDGE=\nSYSTEM_PATH=\"/nix/store/x\"\n# comment\n");
  assert.equal(c.privateNetwork, true);
  assert.equal(c.hostAddress, "10.233.4.1");
  assert.equal(c.localAddress, "10.233.4.2/24");
  assert.equal(c.hostBridge, null);
  assert.equal(c.systemPath, "/nix/store/x");
  assert.equal(c.flake, null);
});

test("addresses: the first X whose .1 and .2 are both free", () => {
  const existing = [
    parseContainerConfig("HOST_ADDRESS=10.233.1.1\nLOCAL_ADDRESS=10.233.1.2\n"),
    parseContainerConfig("HOST_ADDRESS=10.233.3.1\nLOCAL_ADDRESS=10.233.2.2/24\n"),
  ];
  assert.deepEqual(allocateAddresses(existing), { hostAddress: "10.233.4.1", localAddress: "10.233.4.2" });
  assert.deepEqual(allocateAddresses([]), { hostAddress: "10.233.1.1", localAddress: "10.233.1.2" });
  const full = Array.from({ length: 254 }, (_, i) => parseContainerConfig(`HOST_ADDRESS=10.233.${i + 1}.1\n`));
  assert.throws(() => allocateAddresses(full), /out of IP addresses/);
});

test("names: letters, digits, _ and -, at most 11 characters", () => {
  checkContainerName("flake-test");
  checkContainerName("a_b-9");
  assert.throws(() => checkContainerName("flake/test"), /^SystemError: invalid container name$/);
  assert.throws(() => checkContainerName(""), /invalid container name/);
  assert.throws(() => checkContainerName("flake-test12"), /container name ‘flake-test12’ is too long/);
});

test("REF#ATTR splits at a trailing #ATTR; the attribute defaults to container", () => {
  assert.deepEqual(splitFlakeAttr("/path/to/my-flake"), { ref: "/path/to/my-flake", attr: "container" });
  assert.deepEqual(splitFlakeAttr("/path/to/my-flake#web"), { ref: "/path/to/my-flake", attr: "web" });
  assert.deepEqual(splitFlakeAttr("github:a/b?rev=9190c39#c"), { ref: "github:a/b?rev=9190c39", attr: "c" });
  assert.deepEqual(splitFlakeAttr('x#a"b'), { ref: 'x#a"b', attr: "container" });
});
