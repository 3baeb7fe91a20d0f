// Tests of the hosts-file entries tix manages for running containers.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { hostsEntries, removeHostsEntry, setHostsEntry } from "./hosts-file.js";

test("entries are added, replaced and removed without touching other lines", () => {
  const file = path.join(tempDir("tix-hosts-"), "etc", "hosts");
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, "127.0.0.1 localhost\n# a comment\n");
  setHostsEntry(file, "flake-test", "10.233.4.2");
  setHostsEntry(file, "other", "10.233.5.2");
  setHostsEntry(file, "flake-test", "10.233.6.2");
  assert.deepEqual([...hostsEntries(file)], [
    ["other", "10.233.5.2"],
    ["flake-test", "10.233.6.2"],
  ]);
  removeHostsEntry(file, "flake-test");
  removeHostsEntry(file, "absent");
  assert.equal(fs.readFileSync(file, "utf8"), "127.0.0.1 localhost\n# a comment\n10.233.5.2\tother\t# tix-container other\n");
  removeHostsEntry(file, "other");
  assert.equal(fs.readFileSync(file, "utf8"), "127.0.0.1 localhost\n# a comment\n");
});

test("a missing hosts file is created for the first entry", () => {
  const file = path.join(tempDir("tix-hosts-"), "etc", "hosts");
  setHostsEntry(file, "c1", "10.233.1.2");
  assert.equal(fs.readFileSync(file, "utf8"), "10.233.1.2\tc1\t# tix-container c1\n");
});
