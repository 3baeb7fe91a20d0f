// Tests of the hosts-file entries tix manages for running containers.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { spawn } from "node:child_process";
import { REMOVE_ENTRY_SH, hostsEntries, removeHostsEntry, setHostsEntry } from "./hosts-file.js";

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

test("edits from several processes at once (tix commands, containers' exit monitors) lose none of each other's entries", async () => {
  const file = path.join(tempDir("tix-hosts-"), "etc", "hosts");
  fs.mkdirSync(path.dirname(file));
  const gone = ["m1", "m2", "m3", "m4"];
  fs.writeFileSync(file, "127.0.0.1 localhost\n" + gone.map((n, i) => `10.233.${9 + i}.2\t${n}\t# tix-container ${n}\n`).join(""));
  const moduleUrl = new URL("./hosts-file.js", import.meta.url).href;
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<number>((resolve) => spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } }).on("exit", (code) => resolve(code ?? -1)));
  const kept = ["c1", "c2", "c3", "c4"];
  // Each tix process adds, removes and finally adds its own entry, many times over; meanwhile
  // the monitors remove theirs.
  const editors = kept.map((n, i) =>
    run(process.execPath, [
      "--input-type=module",
      "-e",
      `const h = await import(${JSON.stringify(moduleUrl)});
       for (let k = 0; k < 25; k++) { h.setHostsEntry(${JSON.stringify(file)}, "${n}", "10.233.${i + 1}.2"); h.removeHostsEntry(${JSON.stringify(file)}, "${n}"); }
       h.setHostsEntry(${JSON.stringify(file)}, "${n}", "10.233.${i + 1}.2");`,
    ]),
  );
  const monitors = gone.map((n) => run("/bin/sh", ["-c", REMOVE_ENTRY_SH], { TIX_HOSTS_FILE: file, TIX_CONTAINER: n }));
  assert.deepEqual(await Promise.all([...editors, ...monitors]), [...kept, ...gone].map(() => 0));
  assert.deepEqual([...hostsEntries(file).keys()].sort(), kept);
  assert.ok(fs.readFileSync(file, "utf8").startsWith("127.0.0.1 localhost\n"));
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["hosts"]);
});

test("a hosts lock left by a process that died is taken over by tix and by the exit monitor", async () => {
  const file = path.join(tempDir("tix-hosts-"), "etc", "hosts");
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, "10.233.1.2\tm1\t# tix-container m1\n");
  const deadLock = () => {
    fs.writeFileSync(`${file}.tix-lock`, "tix 999999999\n");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.tix-lock`, old, old);
  };
  deadLock();
  const code = await new Promise<number>((resolve) =>
    spawn("/bin/sh", ["-c", REMOVE_ENTRY_SH], { stdio: "inherit", env: { ...process.env, TIX_HOSTS_FILE: file, TIX_CONTAINER: "m1" } }).on("exit", (c) => resolve(c ?? -1)),
  );
  assert.equal(code, 0);
  assert.equal(fs.readFileSync(file, "utf8"), "");
  deadLock();
  setHostsEntry(file, "c1", "10.233.2.2");
  assert.deepEqual([...hostsEntries(file)], [["c1", "10.233.2.2"]]);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["hosts"]);
});
