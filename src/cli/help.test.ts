// Every command listed by `tix --help` answers `--help` (also after a subcommand, as Nix does)
// with its usage on stdout and status 0; `--help` after `--` belongs to the program run.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

function tix(args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(TIX, args, { encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The command names `tix --help` lists. */
function listedCommands(): string[] {
  const out = tix(["--help"]).stdout;
  const section = out.slice(out.indexOf("Commands:"), out.indexOf("Options:"));
  return [...section.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!);
}

test("tix CMD --help and tix CMD SUB --help print CMD's usage", () => {
  const commands = listedCommands();
  assert.ok(commands.includes("instantiate") && commands.includes("flake"), commands.join(" "));
  for (const cmd of commands) {
    for (const args of [[cmd, "--help"], [cmd, "sub", "--help"]]) {
      const r = tix(args);
      assert.equal(r.status, 0, `tix ${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: tix ${cmd}\\b`), `tix ${args.join(" ")}`);
    }
  }
});

test("an unknown command with --help is still an error", () => {
  const r = tix(["nope", "--help"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /'nope' is not a recognised command/);
});
