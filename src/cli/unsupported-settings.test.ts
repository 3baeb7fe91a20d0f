// A setting that asks for protection tix does not give is refused, never silently ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const tix = (args: string[]) => spawnSync(path.resolve("bin/tix"), args, { encoding: "utf8" });

test("restrict-eval = true is refused by every evaluating command; false is accepted", () => {
  const refused = [
    ["instantiate", "--eval", "-E", "1", "--option", "restrict-eval", "true"],
    ["instantiate", "--eval", "-E", "1", "--restrict-eval"],
    ["eval", "--expr", "1", "--option", "restrict-eval", "1"],
    ["build", "--expr", "1", "--option", "restrict-eval", "yes"],
    ["flake", "show", "--option", "restrict-eval", "true", "."],
  ];
  for (const args of refused) {
    const r = tix(args);
    assert.equal(r.status, 1, args.join(" "));
    assert.match(r.stderr, /^error: setting 'restrict-eval' is not supported by tix, which would evaluate without the restriction; drop it/m, args.join(" "));
    assert.equal(r.stdout, "");
  }
  const allowed = tix(["instantiate", "--eval", "-E", "1", "--option", "restrict-eval", "false"]);
  assert.equal(allowed.stdout, "1\n", allowed.stderr);
});
