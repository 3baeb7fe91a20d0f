// Part of the bundle (scripts/bundle.mjs): gives src/store/sqlite.ts better-sqlite3's JavaScript,
// bundled and so compiled and cached with the rest of tix, initialised on first use.
globalThis.__tixBundledSqlite = () => require("better-sqlite3");
