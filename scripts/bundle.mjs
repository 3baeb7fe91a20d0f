// Bundles the CLI into dist/tix.cjs (what bin/tix runs, already inside CommonJS's function
// wrapper: see wrapForLoader), with two start-up savings:
// - Node modules that most commands never touch (child_process, worker_threads, zlib, net, …)
//   are loaded on first use, through a proxy whose keys are known at build time;
// - every other `node:` module is wrapped once, instead of once per importing file (esbuild's
//   CommonJS interop copies a module's properties at each `import * as`).
import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

const LAZY = new Set(["crypto", "os", "child_process", "worker_threads", "zlib", "net", "stream", "stream/promises", "http", "https", "readline", "dns", "v8", "tty"]);

/** A CommonJS module standing for `name`: its exports are a proxy that loads it on first use. */
function lazyModule(name) {
  const keys = Object.getOwnPropertyNames(require(name)).filter((k) => k !== "__esModule");
  return `let real;
const load = () => (real ??= require(${JSON.stringify(name)}));
const keys = ${JSON.stringify(keys)};
module.exports = new Proxy({}, {
  // The bundle uses this object itself as the module namespace (see unwrapInterop): a default
  // import reads \`default\`, which is the whole module.
  get(_, key) { return key === "__esModule" ? undefined : key === "default" ? load() : load()[key]; },
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

/**
 * better-sqlite3's `backup` method module promisifies `fs.access` when it is loaded; tix never
 * makes backups, so that is deferred to a call.
 */
const deferredSqliteBackup = {
  name: "tix-sqlite-backup",
  setup(build) {
    build.onLoad({ filter: /better-sqlite3[\\/]lib[\\/]methods[\\/]backup\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, "utf8");
      const eager = "const fsAccess = promisify(fs.access);";
      // Left as it is if the file changed shape: only slower to load.
      return { contents: text.replace(eager, "const fsAccess = (...args) => promisify(fs.access)(...args);"), loader: "js" };
    });
  },
};

/**
 * Both bundles carry the same fresh id (src/cli/build-id.ts): an answer recorded by one build is
 * never replayed by another.
 */
const buildId = `${Date.now().toString(36)}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

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
  // Computed on first use: the first pathToFileURL costs ~0.6 ms, and only a few commands need it.
  define: { "import.meta.url": "__tixMeta.url", __TIX_BUILD_ID__: JSON.stringify(buildId) },
  banner: { js: "var __tixMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  plugins: [builtins, deferredSqliteBackup],
});

/**
 * Drops esbuild's ES-module interop around `node:` modules from the bundle: at start-up it copied
 * every property of fs, path, url, … into a namespace object (twice), and of every lazy module's
 * proxy once per importing file, as getters, ~2,000 property definitions in all. The modules
 * themselves serve as namespaces: a property read gives the same value, and `default` (a
 * default import) is the module.
 */
function unwrapInterop(file, expected = { eager: 4, lazy: 10 }) {
  let code = fs.readFileSync(file, "latin1");
  let eager = 0;
  code = code.replace(
    /var (\w+)_exports = \{\};\n__export\(\1_exports, \{\n  default: \(\) => (import_\w+)\.default\n\}\);\n__reExport\(\1_exports, (require\("[\w/]+"\))\);\nvar \2 = __toESM\(\3\);\n/g,
    (_, name, importVar, req) => {
      eager++;
      return `var ${name}_exports = ${req};\nvar ${importVar} = { default: ${name}_exports };\n`;
    },
  );
  // The same inside a lazily initialised module graph (src/cli/main.ts imports commands with
  // `import()`): esbuild then wraps the namespace in an `init_*` function of its own.
  code = code.replace(
    /var (\w+)_exports = \{\};\n__export\(\1_exports, \{\n  default: \(\) => (import_\w+)\.default\n\}\);\nvar \2;\nvar (init_\w+) = __esm\(\{\n  "tix-builtin:[\w/]+"\(\) \{\n    __reExport\(\1_exports, (require\("[\w/]+"\))\);\n    \2 = __toESM\(\4\);\n  \}\n\}\);\n/g,
    (_, name, importVar, init, req) => {
      eager++;
      return `var ${name}_exports = ${req};\nvar ${importVar} = { default: ${name}_exports };\nvar ${init} = () => {};\n`;
    },
  );
  const lazyRequires = new Set([...code.matchAll(/var (require_\w+) = __commonJS\(\{\n  "tix-builtin:/g)].map((m) => m[1]));
  let lazy = 0;
  code = code.replace(/__toESM\((require_\w+)\(\), 1\)/g, (whole, req) => {
    if (!lazyRequires.has(req)) return whole;
    lazy++;
    return `${req}()`;
  });
  // Fewer means esbuild's output changed shape: the bundle still works, only slower to start.
  if (eager < expected.eager || lazy < expected.lazy) console.warn(`warning: scripts/bundle.mjs: unwrapped only ${eager} eager and ${lazy} lazy node: imports`);
  fs.writeFileSync(file, code, "latin1");
}

/**
 * Writes the bundle inside CommonJS's function wrapper, as bin/tix-main.cjs compiles it: wrapping
 * it at start-up (Module.wrap) made a second, concatenated 0.9 MB copy of the source that V8
 * then flattened, ~230 freshly touched memory pages on every run.
 */
function wrapForLoader(file) {
  const code = fs.readFileSync(file, "latin1");
  fs.writeFileSync(file, `(function (exports, require, module, __filename, __dirname) { ${code}\n});`, "latin1");
}

/**
 * Drops the bundle's indentation and comments (a quarter of its size): every run reads the whole
 * source and keeps a copy of it in memory. Names and statements stay as they are; lines are kept
 * short so that a JavaScript stack trace still points somewhere readable.
 */
async function dropWhitespace(file) {
  const code = fs.readFileSync(file, "latin1");
  const result = await esbuild.transform(code, { loader: "js", minifyWhitespace: true, lineLimit: 160, charset: "ascii", logLevel: "warning" });
  fs.writeFileSync(file, result.code, "latin1");
}

unwrapInterop("dist/tix.cjs");
await dropWhitespace("dist/tix.cjs");
wrapForLoader("dist/tix.cjs");

// The small entry bin/tix-main.cjs tries first (src/cli/fast-answer.ts): a few kilobytes that
// replay a recorded `flake show` without loading, compiling or deserialising the CLI bundle.
await esbuild.build({
  entryPoints: ["src/cli/fast-answer.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: "dist/tix-fast.cjs",
  logLevel: "warning",
  define: { __TIX_BUILD_ID__: JSON.stringify(buildId) },
  plugins: [builtins],
});
// Copying the lazy modules' keys into namespace objects was a third of its run time.
unwrapInterop("dist/tix-fast.cjs", { eager: 2, lazy: 2 });
await dropWhitespace("dist/tix-fast.cjs");
