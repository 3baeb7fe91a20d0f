// Opens SQLite databases through better-sqlite3, loaded on first use: the native module costs
// start-up time that most commands don't need.

import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";

let sqlite: typeof Database | null = null;
let addon: object | undefined;

function load(): typeof Database {
  if (sqlite !== null) return sqlite;
  // The bundle (scripts/bundle.mjs) carries better-sqlite3's JavaScript, compiled and cached
  // with the rest of tix, and finds the addon itself.
  const bundled = (globalThis as { __tixBundledSqlite?: () => { Database: typeof Database; addon: object } | undefined }).__tixBundledSqlite?.();
  if (bundled !== undefined) {
    addon = bundled.addon;
    return (sqlite = bundled.Database);
  }
  const require = createRequire(import.meta.url);
  // better-sqlite3 finds its compiled addon through the `bindings` package, which tries a dozen
  // candidate paths and writes symlinks on every start; load the usual build output directly.
  const built = path.join(path.dirname(require.resolve("better-sqlite3")), "..", "build", "Release", "better_sqlite3.node");
  if (fs.existsSync(built)) addon = require(built) as object;
  sqlite = require("better-sqlite3") as typeof Database;
  return sqlite;
}

/** Opens (or creates) the database in `file`; options as better-sqlite3's `Database`. */
export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  const Sqlite = load();
  // The typings only admit a path, but better-sqlite3 also takes the loaded addon itself.
  return new Sqlite(file, addon === undefined ? options : ({ ...options, nativeBinding: addon } as unknown as Database.Options));
}
