// Cases recorded from nix-instantiate 2.8 (behaviour unchanged in modern Nix).
import assert from "node:assert/strict";
import { test } from "node:test";
import { compareVersions, parseDrvName, splitVersion } from "./versions.js";

test("splitVersion splits at separators and digit/non-digit boundaries", () => {
  const cases: [string, string[]][] = [
    ["1.2a3-b", ["1", "2", "a", "3", "b"]],
    ["1..2", ["1", "2"]],
    ["a.b_c", ["a", "b_c"]],
    ["", []],
    ["1.0pre1", ["1", "0", "pre", "1"]],
    ["2.3.1", ["2", "3", "1"]],
    ["-1.0-", ["1", "0"]],
    ["1.2.3alpha4beta", ["1", "2", "3", "alpha", "4", "beta"]],
    ["\xc3\xbc1.\xc3\xa9", ["\xc3\xbc", "1", "\xc3\xa9"]],
  ];
  for (const [v, parts] of cases) assert.deepEqual(splitVersion(v), parts, v);
});

test("compareVersions orders components like Nix", () => {
  const cases: [string, string, number][] = [
    ["1.0", "2.3", -1],
    ["2.3", "2.3", 0],
    ["1.0pre1", "1.0", -1],
    ["1.0", "1.0.0", -1],
    ["1.0a", "1.0", 1],
    ["1.01", "1.1", 0],
    ["1.0-rc1", "1.0", 1],
    ["", "1", -1],
    ["1", "a", 1],
    ["2.3a", "2.3.1", -1],
    ["pre", "pre", 0],
    ["1.0pre", "1.0pre2", -1],
    ["a", "b", -1],
    ["b", "a", 1],
    ["1.2", "1.2pre", 1],
    // Components that overflow a 32-bit int are treated as words.
    ["4294967296", "1", -1],
    ["99999999999999999999", "1", -1],
    ["2147483648", "2147483647", -1],
    ["1.0", "1.0-", 0],
    ["alpha", "pre", 1],
    ["0.0", "", 1],
    ["1.a", "1.1", -1],
    ["1.a", "1.b", -1],
    ["1.pre", "1.", -1],
    ["1.pre", "1.a", -1],
  ];
  for (const [a, b, r] of cases) assert.equal(compareVersions(a, b), r, `${a} vs ${b}`);
});

test("parseDrvName splits at the first dash not followed by a letter", () => {
  const cases: [string, string, string][] = [
    ["nix-0.12pre12876", "nix", "0.12pre12876"],
    ["foo-bar-1.0-2", "foo-bar", "1.0-2"],
    ["hello", "hello", ""],
    ["foo-", "foo-", ""],
    ["-1.0", "", "1.0"],
    ["a-b-c", "a-b-c", ""],
    ["foo-1bar", "foo", "1bar"],
    ["foo--1", "foo", "-1"],
    ["foo-\xc3\xa91", "foo", "\xc3\xa91"],
    ["x-.1", "x", ".1"],
  ];
  for (const [s, name, version] of cases) assert.deepEqual(parseDrvName(s), { name, version }, s);
});
