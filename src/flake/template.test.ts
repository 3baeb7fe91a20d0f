import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyTemplate } from "./template.js";

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
  const r = copyTemplate(from, to);
  assert.deepEqual(r.conflicts, [[path.join(to, "flake.nix"), path.join(from, "flake.nix")]]);
  assert.deepEqual(r.written.sort(), [path.join(to, "link"), path.join(to, "sub", "run.sh")]);
  assert.equal(fs.readFileSync(path.join(to, "flake.nix"), "utf8"), "mine\n");
  assert.equal(fs.statSync(path.join(to, "sub", "run.sh")).mode & 0o777, 0o755);
  assert.equal(fs.readlinkSync(path.join(to, "link")), "flake.nix");
  // What `flake init` reports, in the order visited: identical files are "skipping identical file".
  assert.deepEqual(
    r.events.map((e) => [e.kind, path.relative(to, e.file), path.relative(from, e.from)]),
    [
      ["conflict", "flake.nix", "flake.nix"],
      ["wrote", "link", "link"],
      ["identical", "same", "same"],
      ["wrote", "sub/run.sh", "sub/run.sh"],
    ],
  );
  fs.rmSync(root, { recursive: true });
});
