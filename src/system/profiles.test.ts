// Tests of profiles: numbered generation links, reuse of the newest generation, rollback,
// switching and deleting generations.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import {
  currentGeneration,
  deleteGenerations,
  listGenerations,
  profileStorePath,
  rollbackProfile,
  setProfile,
  switchGeneration,
} from "./profiles.js";
import { SystemError } from "./errors.js";

const A = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-system-a";
const B = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-system-b";
const C = "/nix/store/cccccccccccccccccccccccccccccccc-system-c";

function newProfile(): string {
  return path.join(tempDir("tix-profile-"), "profiles", "system");
}

test("setting a profile makes numbered generation links and points the profile at the newest", () => {
  const p = newProfile();
  const seen: string[] = [];
  assert.deepEqual(setProfile(p, A, { onNewLink: (l) => seen.push(l) }), { generation: 1, created: true });
  assert.deepEqual(setProfile(p, B, { onNewLink: (l) => seen.push(l) }), { generation: 2, created: true });
  assert.equal(fs.readlinkSync(p), "system-2-link");
  assert.equal(fs.readlinkSync(path.join(path.dirname(p), "system-1-link")), A);
  assert.equal(profileStorePath(p), B);
  assert.deepEqual(seen.map((l) => path.basename(l)), ["system-1-link", "system-2-link"]);
  assert.deepEqual(
    listGenerations(p).map((g) => [g.number, g.storePath, g.current]),
    [
      [1, A, false],
      [2, B, true],
    ],
  );
});

test("setting the path the newest generation already has reuses it", () => {
  const p = newProfile();
  setProfile(p, A);
  assert.deepEqual(setProfile(p, A), { generation: 1, created: false });
  assert.equal(listGenerations(p).length, 1);
});

test("rollback goes to the highest generation below the current one", () => {
  const p = newProfile();
  setProfile(p, A);
  setProfile(p, B);
  setProfile(p, C);
  assert.deepEqual(rollbackProfile(p), { from: 3, to: 2 });
  assert.deepEqual(rollbackProfile(p), { from: 2, to: 1 });
  assert.throws(() => rollbackProfile(p), (e: unknown) => e instanceof SystemError && e.message === "no profile version older than the current (1) exists");
  // A new generation after a rollback is numbered above the highest, not the current.
  assert.deepEqual(setProfile(p, B), { generation: 4, created: true });
});

test("switching and deleting generations", () => {
  const p = newProfile();
  setProfile(p, A);
  setProfile(p, B);
  setProfile(p, C);
  assert.deepEqual(switchGeneration(p, 1), { from: 3, to: 1 });
  assert.equal(currentGeneration(p), 1);
  assert.throws(() => switchGeneration(p, 7), /generation 7 does not exist/);
  assert.throws(() => deleteGenerations(p, [1]), /cannot delete the current generation/);
  assert.deepEqual(deleteGenerations(p, "old"), [2, 3]);
  assert.deepEqual(listGenerations(p).map((g) => g.number), [1]);
});
