import { test } from "node:test";
import assert from "node:assert/strict";
import { nixConfigValueText, trustedFlakeSettings } from "./flake-config.js";

test("trustedFlakeSettings: always-allowed settings pass, the rest need acceptance or a saved yes", () => {
  const config = new Map<string, string | number | boolean | string[]>([
    ["extra-substituters", ["http://a", "http://b"]],
    ["bash-prompt", "x> "],
    ["extra-bash-prompt-suffix", "!"],
    ["allow-dirty", false],
    ["max-jobs", 4],
  ]);
  const warnings: string[] = [];
  const none = trustedFlakeSettings(config, { acceptFlakeConfig: false, trusted: new Map(), warn: (m) => warnings.push(m) });
  assert.deepEqual(none, [["bash-prompt", "x> "], ["extra-bash-prompt-suffix", "!"]]);
  assert.deepEqual(warnings, [
    "ignoring untrusted flake configuration setting 'allow-dirty'",
    "ignoring untrusted flake configuration setting 'extra-substituters'",
    "ignoring untrusted flake configuration setting 'max-jobs'",
  ]);
  const all = trustedFlakeSettings(config, { acceptFlakeConfig: true, trusted: new Map(), warn: () => assert.fail("no warnings") });
  assert.deepEqual(all.map(([n]) => n), ["allow-dirty", "bash-prompt", "extra-bash-prompt-suffix", "extra-substituters", "max-jobs"]);
  assert.equal(all.find(([n]) => n === "extra-substituters")![1], "http://a http://b");
  const saved = trustedFlakeSettings(config, {
    acceptFlakeConfig: false,
    trusted: new Map([["max-jobs", new Map([["4", true]])], ["allow-dirty", new Map([["false", false]])]]),
    warn: () => {},
  });
  assert.deepEqual(saved.map(([n]) => n), ["bash-prompt", "extra-bash-prompt-suffix", "max-jobs"]);
  assert.equal(nixConfigValueText(true), "true");
});
