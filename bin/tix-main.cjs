// Loads the bundled CLI with a V8 code cache beside it, so start-up skips most compilation.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const file = path.join(__dirname, "..", "dist", "tix.cjs");
const cacheFile = file + ".cache";
const source = fs.readFileSync(file, "latin1"); // the bundle is ASCII-only
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: undefined });
const wrapper = script.runInThisContext();
const mod = { exports: {}, filename: file, id: file, paths: [] };
const localRequire = Module.createRequire(file);
if (cachedData === undefined || script.cachedDataRejected) {
  // Written after the CLI finished, when the functions it ran have been compiled too.
  process.once("exit", () => {
    try {
      fs.writeFileSync(cacheFile + "." + process.pid, script.createCachedData());
      fs.renameSync(cacheFile + "." + process.pid, cacheFile);
    } catch {}
  });
}
wrapper.call(mod.exports, mod.exports, localRequire, mod, file, path.dirname(file));
