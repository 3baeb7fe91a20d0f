// The article's walkthrough, end to end (issue #7's proof): runs scripts/walkthrough.sh — the
// README's main command — on the embedded base flake, offline, as root, inside a network
// namespace of the test's own, and checks what each step shows: "It works!", the flake's
// revision inside the container, the dirty-tree warning and refusal, a `?rev=` rollback, a
// third-party flake's module and overlay answering on port 3000, `--update-input` with
// `--commit-lock-file`, `--override-input`, `tix os rebuild` below a root, nixpkgs pinned in
// /etc/nix/registry.json, and nothing left behind after stop and destroy.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../../src/store/test-util.js";
import { findProgram } from "../../src/system/exec.js";
import { IT_WORKS, mountsBelow, namespaceTestsSkipReason, repoRoot, runTix, sh } from "../../src/system/test-support.js";

function skipReason(): string | false {
  const ns = namespaceTestsSkipReason();
  if (ns !== false) return ns;
  if (findProgram("git") === null) return "needs git";
  if (!fs.existsSync(path.join(repoRoot(), "dist", "tix.cjs"))) return "needs a build (npm run build)";
  return false;
}

/** The script's output cut at its step headers ("# TITLE", in bold): title → what followed. */
function splitSteps(out: string): Map<string, string> {
  const steps = new Map<string, string>();
  const parts = out.split(/^\x1b\[1m# (.*)\x1b\[0m$/m);
  for (let i = 1; i < parts.length; i += 2) steps.set(parts[i]!, parts[i + 1] ?? "");
  return steps;
}

/** The lines of `text` that are JSON objects, parsed. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What a step printed after `$ COMMAND…` (up to the next `$ ` line). */
function outputOf(text: string, commandStart: string): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith(`$ ${commandStart}`));
  assert.notEqual(i, -1, `no '$ ${commandStart}' in:\n${text}`);
  const rest = lines.slice(i + 1);
  const end = rest.findIndex((l) => l.startsWith("$ "));
  return (end < 0 ? rest : rest.slice(0, end)).join("\n").replace(/\s+$/, "");
}

function revAfter(text: string): string {
  const m = /\(git rev-parse HEAD: ([0-9a-f]{40})\)/.exec(text);
  assert.ok(m, `no git revision in:\n${text}`);
  return m[1]!;
}

describe("the article's walkthrough (scripts/walkthrough.sh) on the embedded base", { skip: skipReason() }, () => {
  const netns = `tixwalk-${process.pid}`;
  let work: string;
  let status = -1;
  let output = "";
  let steps = new Map<string, string>();
  const step = (title: string): string => {
    for (const [t, text] of steps) if (t.startsWith(title)) return text;
    assert.fail(`step '${title}' did not run (status ${status}); output:\n${output}`);
  };

  before(() => {
    work = tempDir("tix-walk-");
    assert.equal(sh(["ip", "netns", "add", netns]).status, 0, "ip netns add");
    assert.equal(sh(["ip", "-n", netns, "link", "set", "lo", "up"]).status, 0, "lo up");
    // Both streams in one, as a terminal shows them (warnings go to stderr).
    const script = path.join(repoRoot(), "scripts", "walkthrough.sh");
    const r = spawnSync("nsenter", [`--net=/run/netns/${netns}`, "bash", "-c", 'exec bash "$0" 2>&1', script], {
      encoding: "utf8",
      env: { ...process.env, TIX_WALKTHROUGH_SKIP_SETUP: "1", TIX_WALKTHROUGH_DIR: work, TIX_CONTAINER_START_TIMEOUT: "60" },
      timeout: 480_000,
      killSignal: "SIGTERM",
      maxBuffer: 64 << 20,
    });
    status = r.status ?? -1;
    output = (r.stdout ?? "") + (r.stderr ? `\n--- stderr ---\n${r.stderr}` : "") + (r.error ? `\n${String(r.error)}` : "");
    steps = splitSteps(r.stdout ?? "");
  });

  after(() => {
    // Whatever happened: the container gone, the namespace (and any veth in it) deleted.
    runTix(["container", "destroy", "flake-test", "--store", path.join(work, "root")], { netns, env: { TIX_STATE_ROOT: path.join(work, "root") } });
    sh(["ip", "netns", "del", netns]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test("the script finishes", () => {
    assert.equal(status, 0, output);
    assert.match(output, /\nwalkthrough finished\n/);
  });

  test("the container answers 'It works!' and knows the flake's git revision", () => {
    const s = step("Create and start the container");
    assert.equal(outputOf(s, "curl http://flake-test/"), IT_WORKS.trimEnd());
    const t = step("Traceability");
    const [v] = jsonLines(t);
    assert.equal(v?.["configurationRevision"], revAfter(t));
    assert.match(String(v?.["nixosVersion"]), /^20\.03\./);
  });

  test("an uncommitted change: a warning, no configurationRevision, and --no-allow-dirty refuses", () => {
    const s = step("An uncommitted change");
    assert.match(s, /^warning: Git tree '.*\/flake-test' is dirty$/m);
    const [v] = jsonLines(s);
    assert.ok(v !== undefined && !("configurationRevision" in v), s);
    assert.match(outputOf(s, "tix container update flake-test --flake . --no-allow-dirty"), /^error: Git tree '.*\/flake-test' is dirty$/m);
    assert.doesNotMatch(s, /unexpected: dirty tree accepted/);
    const c = step("Commit and update again");
    assert.match(String(jsonLines(c)[0]?.["configurationRevision"]), /^[0-9a-f]{40}$/);
  });

  test("?rev= redeploys exactly the first revision", () => {
    const s = step("Roll back to the first revision");
    const first = /\(first revision: ([0-9a-f]{40})\)/.exec(s)?.[1];
    assert.ok(first, s);
    assert.equal(jsonLines(s)[0]?.["configurationRevision"], first);
    // The first revision is the one the traceability step showed.
    assert.equal(first, revAfter(step("Traceability")));
  });

  test("a third-party flake's module and overlay: its service answers on port 3000", () => {
    const s = step("A third-party flake");
    assert.match(s, /├───nixosModules\n│ {3}├───default: NixOS module\n│ {3}└───hydra: NixOS module\n├───overlay: Nixpkgs overlay\n/);
    assert.match(s, /• Added input 'hydra':\n {4}'git\+file:\/\/.*\/hydra\?ref=[^&]+&rev=[0-9a-f]{40}'/);
    assert.match(s, /the following new units were started: hydra\.service/);
    assert.equal(outputOf(s, "curl http://flake-test:3000/"), "Hydra stand-in, version 1");
  });

  test("--update-input hydra --commit-lock-file: the new lock file is committed with Nix's message", () => {
    const s = step("Update one input");
    assert.match(s, /^warning: committed new revision '[0-9a-f]{40}'$/m);
    assert.match(
      outputOf(s, "git log -1 --format=%B"),
      /^flake\.lock: Update\n\nFlake lock file updates:\n\n• Updated input 'hydra':\n {4}'git\+file:\/\/.*\/hydra\?ref=[^&]+&rev=([0-9a-f]{40})' \(\d{4}-\d\d-\d\d\)\n {2}→ 'git\+file:\/\/.*\/hydra\?ref=[^&]+&rev=(?!\1)[0-9a-f]{40}' \(\d{4}-\d\d-\d\d\)$/,
    );
    assert.equal(outputOf(s, "curl http://flake-test:3000/"), "Hydra stand-in, version 2");
  });

  test("--override-input hydra DIR builds against the local checkout and leaves flake.lock alone", () => {
    const s = step("Build against a local checkout");
    assert.match(s, /^warning: not writing modified lock file of flake 'git\+file:\/\/.*\/flake-test':\n• Updated input 'hydra':\n/m);
    assert.match(s, / {2}→ 'git\+file:\/\/.*\/my-hydra\?ref=[^&]+&rev=[0-9a-f]{40}'/);
    assert.equal(outputOf(s, "curl http://flake-test:3000/"), "Hydra stand-in, version 2-local");
    assert.doesNotMatch(outputOf(s, "git status --short"), /flake\.(lock|nix)/);
  });

  test("tix os rebuild switch --flake .#my-machine --root DIR, then tix os version --json", () => {
    const s = step("A host system");
    assert.match(s, /^building the system configuration\.\.\.$/m);
    assert.match(s, /nixos-system-my-machine-20\.03\./);
    const [v] = jsonLines(s);
    assert.equal(v?.["configurationRevision"], revAfter(s));
  });

  test("nix.registry.nixpkgs.flake pins nixpkgs to the locked base in /etc/nix/registry.json", () => {
    const s = step("nixpkgs pinned");
    const [machine, container] = jsonLines(s);
    assert.deepEqual(machine, container);
    const flakes = (machine?.["flakes"] ?? []) as Record<string, Record<string, unknown>>[];
    assert.equal(machine?.["version"], 2);
    assert.equal(flakes.length, 1);
    assert.deepEqual(flakes[0]!["from"], { id: "nixpkgs", type: "indirect" });
    assert.equal(flakes[0]!["exact"], true);
    const to = flakes[0]!["to"]!;
    assert.equal(to["type"], "path");
    assert.match(String(to["path"]), /^\/nix\/store\/[0-9a-z]{32}-source$/);
    // The same base that the flake's lock file pins (narHash of flakes/base).
    const meta = runTix(["flake", "metadata", "--json", "--store", tempDir("tix-walk-meta-"), `path:${path.join(repoRoot(), "flakes", "base")}`]);
    assert.equal(meta.status, 0, meta.stderr);
    const locked = (JSON.parse(meta.stdout) as { locked: Record<string, unknown> }).locked;
    assert.equal(to["narHash"], locked["narHash"]);
    assert.equal(to["lastModified"], locked["lastModified"]);
  });

  test("stop and destroy leave nothing behind", () => {
    const s = step("Nothing left behind");
    const found = s.replace(/^\$ .*$/gm, "").replace(/^walkthrough finished$/m, "");
    assert.doesNotMatch(found, /^(?!\(empty\)|\(none\)|\s*$).+/m, s);
    // Checked from here too: no process and no veth in the namespace, no mount below the work dir.
    assert.equal(sh(["ip", "netns", "pids", netns]).stdout, "");
    assert.equal(sh(["ip", "-n", netns, "-o", "link", "show", "type", "veth"]).stdout, "");
    assert.deepEqual(mountsBelow(work), []);
  });
});
