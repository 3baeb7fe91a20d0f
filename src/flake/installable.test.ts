import { test } from "node:test";
import assert from "node:assert/strict";
import { candidateAttrPaths, defaultAttrSearch, showAttrPaths } from "./installable.js";

test("an empty fragment tries the command's defaults", () => {
  assert.deepEqual(candidateAttrPaths("", defaultAttrSearch("build", "x86_64-linux")), [
    ["packages", "x86_64-linux", "default"],
    ["defaultPackage", "x86_64-linux"],
  ]);
  assert.deepEqual(candidateAttrPaths("", defaultAttrSearch("run", "aarch64-linux"))[0], ["apps", "aarch64-linux", "default"]);
});

test("a fragment is tried under packages, legacyPackages, then as is; a leading dot is literal", () => {
  const search = defaultAttrSearch("build", "x86_64-linux");
  assert.deepEqual(candidateAttrPaths('foo."a.b"', search), [
    ["packages", "x86_64-linux", "foo", "a.b"],
    ["legacyPackages", "x86_64-linux", "foo", "a.b"],
    ["foo", "a.b"],
  ]);
  assert.deepEqual(candidateAttrPaths(".packages.x", search), [["packages", "x"]]);
});

test("the tried paths are listed as Nix lists them", () => {
  assert.equal(showAttrPaths([["a"]]), "'a'");
  assert.equal(showAttrPaths([["a"], ["b"]]), "'a' or 'b'");
  assert.equal(
    showAttrPaths([["packages", "x86_64-linux", "foo"], ["legacyPackages", "x86_64-linux", "foo"], ["foo"]]),
    "'packages.x86_64-linux.foo', 'legacyPackages.x86_64-linux.foo' or 'foo'",
  );
});
