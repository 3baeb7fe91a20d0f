// Tests of nixos-version's output (spec §5), from the data and from the generated script.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { nixosVersionOutput, nixosVersionScript, parseVersionInfo, versionJson, type VersionInfo } from "./version-info.js";

const SEED: VersionInfo = {
  nixosVersion: "20.03.20200622.13c15f2",
  nixosCodeName: "Markhor",
  nixpkgsRevision: "13c15f26d44cf7f54197891a6f0c78ce8149b037",
  configurationRevision: "9190c396f4dcfc734e554768c53a81d1c231c6a7",
};
const DIRTY: VersionInfo = { ...SEED, configurationRevision: null };

test("--json is one compact line with sorted keys, null values left out", () => {
  assert.equal(
    versionJson(SEED),
    '{"configurationRevision":"9190c396f4dcfc734e554768c53a81d1c231c6a7","nixosVersion":"20.03.20200622.13c15f2","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}',
  );
  assert.equal(versionJson(DIRTY), '{"nixosVersion":"20.03.20200622.13c15f2","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}');
  assert.equal(versionJson({ ...DIRTY, nixpkgsRevision: null }), '{"nixosVersion":"20.03.20200622.13c15f2"}');
});

test("plain, revision and configuration revision outputs and their failures", () => {
  assert.deepEqual(nixosVersionOutput(SEED, []), { stdout: "20.03.20200622.13c15f2 (Markhor)\n", stderr: "", status: 0 });
  assert.deepEqual(nixosVersionOutput(SEED, ["--bogus"]), { stdout: "20.03.20200622.13c15f2 (Markhor)\n", stderr: "", status: 0 });
  assert.equal(nixosVersionOutput(SEED, ["--hash"]).stdout, "13c15f26d44cf7f54197891a6f0c78ce8149b037\n");
  assert.deepEqual(nixosVersionOutput({ ...SEED, nixpkgsRevision: "unknown" }, ["--revision"]), {
    stdout: "",
    stderr: "nixos-version: Nixpkgs commit hash is unknown\n",
    status: 1,
  });
  assert.deepEqual(nixosVersionOutput(DIRTY, ["--configuration-revision"]), {
    stdout: "",
    stderr: "nixos-version: configuration revision is unknown\n",
    status: 1,
  });
});

test("the generated script behaves like the data says", { skip: !fs.existsSync("/usr/bin/busybox") && "needs busybox" }, () => {
  const dir = tempDir("tix-version-");
  for (const [info, args] of [
    [SEED, []],
    [SEED, ["--json"]],
    [DIRTY, ["--json"]],
    [SEED, ["--revision"]],
    [DIRTY, ["--configuration-revision"]],
    [{ ...SEED, nixpkgsRevision: null }, ["--hash"]],
    [SEED, ["--configuration-revision"]],
  ] as [VersionInfo, string[]][]) {
    const script = path.join(dir, "nixos-version");
    fs.writeFileSync(script, nixosVersionScript(info, "/usr/bin/busybox sh"), { mode: 0o755 });
    const r = spawnSync(script, args, { encoding: "utf8" });
    const want = nixosVersionOutput(info, args, script);
    assert.deepEqual({ stdout: r.stdout, stderr: r.stderr, status: r.status }, want, `${JSON.stringify(info)} ${args.join(" ")}`);
  }
});

test("version-info.json needs nixosVersion; revisions may be null or absent", () => {
  assert.deepEqual(parseVersionInfo('{"nixosVersion":"1","nixosCodeName":"X"}'), {
    nixosVersion: "1",
    nixosCodeName: "X",
    nixpkgsRevision: null,
    configurationRevision: null,
  });
  assert.throws(() => parseVersionInfo("{}"), /no 'nixosVersion'/);
  assert.throws(() => parseVersionInfo('{"nixosVersion":3}'), /not a string/);
});
