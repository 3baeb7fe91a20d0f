// Part of the bundle (scripts/bundle.mjs): gives src/store/sqlite.ts better-sqlite3's JavaScript,
// bundled and so compiled and cached with the rest of tix, initialised on first use, and its
// native addon, loaded from node_modules beside dist/ without resolving the package (Node's
// module resolution costs a few milliseconds of start-up).
globalThis.__tixBundledSqlite = () => {
  const fs = require("fs");
  const path = require("path");
  const file = path.join(__dirname, "..", "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  if (!fs.existsSync(file)) return undefined;
  const addon = { exports: {} };
  process.dlopen(addon, file);
  return { Database: require("better-sqlite3"), addon: addon.exports };
};
