import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseFlakeRef } from "./flake-ref.js";
import { loadRegistries, readRegistryFile, registryPaths, tixInstallDir, writeRegistryFile } from "./registries.js";
import { addRegistryEntry, resolveFlakeRef } from "./registry.js";

test("the shipped global registry maps templates, base and nixpkgs into the tix checkout", () => {
  const dir = tixInstallDir({});
  const global = readRegistryFile(path.join(dir, "flakes", "registry.json"), "global");
  const resolve = (id: string) => resolveFlakeRef(parseFlakeRef(id), [global]);
  assert.deepEqual(resolve("templates"), { type: "path", path: path.join(dir, "flakes", "templates") });
  assert.deepEqual(resolve("nixpkgs"), { type: "path", path: path.join(dir, "flakes", "base") });
  assert.deepEqual(resolve("base"), { type: "path", path: path.join(dir, "flakes", "base") });
});

test("registry locations follow HOME/XDG and the TIX_*_REGISTRY overrides; user entries come first", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tix-registries-"));
  const env = { HOME: root, TIX_SYSTEM_REGISTRY: path.join(root, "system.json"), TIX_GLOBAL_REGISTRY: path.join(root, "global.json") };
  assert.equal(registryPaths(env).user, path.join(root, ".config", "nix", "registry.json"));
  writeRegistryFile(registryPaths(env).global, addRegistryEntry({ type: "global", entries: [] }, parseFlakeRef("x"), parseFlakeRef("github:a/global")));
  assert.deepEqual(resolveFlakeRef(parseFlakeRef("x"), loadRegistries([], env)), { type: "github", owner: "a", repo: "global" });
  writeRegistryFile(registryPaths(env).user, addRegistryEntry({ type: "user", entries: [] }, parseFlakeRef("x"), parseFlakeRef("github:a/user")));
  assert.deepEqual(resolveFlakeRef(parseFlakeRef("x/branch"), loadRegistries([], env)), { type: "github", owner: "a", repo: "user", ref: "branch" });
  const flags = [{ from: parseFlakeRef("x"), to: parseFlakeRef("github:a/flag") }];
  assert.deepEqual(resolveFlakeRef(parseFlakeRef("x"), loadRegistries(flags, env)), { type: "github", owner: "a", repo: "flag" });
  fs.rmSync(root, { recursive: true });
});
