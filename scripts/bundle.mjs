// Bundles the CLI into dist/tix.cjs (what bin/tix runs), with two start-up savings:
// - Node modules that most commands never touch (child_process, worker_threads, zlib, net, …)
//   are loaded on first use, through a proxy whose keys are known at build time;
// - every other `node:` module is wrapped once, instead of once per importing file (esbuild's
//   CommonJS interop copies a module's properties at each `import * as`).
import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

const LAZY = new Set(["crypto", "os", "child_process", "worker_threads", "zlib", "net", "stream", "stream/promises", "http", "https", "readline", "dns", "v8"]);

/** A CommonJS module standing for `name`: its exports are a proxy that loads it on first use. */
function lazyModule(name) {
  const keys = Object.getOwnPropertyNames(require(name)).filter((k) => k !== "__esModule");
  return `let real;
const load = () => (real ??= require(${JSON.stringify(name)}));
const keys = ${JSON.stringify(keys)};
module.exports = new Proxy({}, {
  get(_, key) { return key === "__esModule" ? undefined : load()[key]; },
  has(_, key) { return key in load(); },
  ownKeys() { return keys; },
  getOwnPropertyDescriptor(_, key) {
    return keys.includes(key) ? { configurable: true, enumerable: true, writable: true, value: undefined } : undefined;
  },
});
`;
}

const builtins = {
  name: "tix-builtins",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path.slice(5), namespace: "tix-builtin" }));
    build.onLoad({ filter: /.*/, namespace: "tix-builtin" }, (args) => {
      const name = args.path;
      // The bare name (no `node:`) is external on the node platform, so it is not resolved again.
      if (LAZY.has(name)) return { contents: lazyModule(name), loader: "js" };
      return { contents: `export * from ${JSON.stringify(name)};\nexport { default } from ${JSON.stringify(name)};\n`, loader: "js" };
    });
  },
};

await esbuild.build({
  // better-sqlite3's JavaScript is bundled too (initialised only when src/store/sqlite.ts first
  // opens a database), so it shares the bundle's code cache; its native addon stays in
  // node_modules, and `bindings`, which would look for that addon beside the bundle, stays out.
  stdin: {
    contents: `import "./scripts/bundled-sqlite.cjs";\nimport "./src/cli/main.ts";\n`,
    resolveDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
    sourcefile: "tix-entry.js",
    loader: "js",
  },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: "dist/tix.cjs",
  external: ["bindings"],
  logLevel: "warning",
  define: { "import.meta.url": "__tixMetaUrl" },
  banner: { js: "var __tixMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [builtins],
});
