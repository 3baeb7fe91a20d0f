import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyTemplate, writtenPaths } from "./template.js";

test("templates are copied without overwriting different files; identical files are fine", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tix-template-"));
  const from = path.join(root, "from");
  const to = path.join(root, "to");
  fs.mkdirSync(path.join(from, "sub"), { recursive: true });
  fs.writeFileSync(path.join(from, "flake.nix"), "{ }\n");
  fs.writeFileSync(path.join(from, "same"), "same\n");
  fs.writeFileSync(path.join(from, "sub", "run.sh"), "#!/bin/sh\n", { mode: 0o555 });
  fs.symlinkSync("flake.nix", path.join(from, "link"));
  fs.mkdirSync(to);
  fs.writeFileSync(path.join(to, "same"), "same\n");
  fs.writeFileSync(path.join(to, "flake.nix"), "mine\n");
  const events = copyTemplate(from, to);
  // In Nix's order: sorted, a directory after its contents, identical files reported as skipped.
  assert.deepEqual(events, [
    { kind: "conflict", path: path.join(to, "flake.nix"), from: path.join(from, "flake.nix") },
    { kind: "wrote", path: path.join(to, "link") },
    { kind: "identical", path: path.join(to, "same"), from: path.join(from, "same") },
    { kind: "wrote", path: path.join(to, "sub", "run.sh") },
    { kind: "wrote", path: path.join(to, "sub") },
  ]);
  assert.deepEqual(writtenPaths(events), [path.join(to, "link"), path.join(to, "sub", "run.sh"), path.join(to, "sub")]);
  assert.equal(fs.readFileSync(path.join(to, "flake.nix"), "utf8"), "mine\n");
  assert.equal(fs.statSync(path.join(to, "sub", "run.sh")).mode & 0o777, 0o755);
  assert.equal(fs.readlinkSync(path.join(to, "link")), "flake.nix");

  fs.rmSync(root, { recursive: true });
});
