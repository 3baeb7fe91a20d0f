// Post-processes the esbuild bundle (dist/tix.cjs) so start-up loads only what a command uses.
// esbuild turns every `import * as fs from "node:fs"` into an eager `__toESM(require(…))` that
// copies the module's properties, once per importing file, and requires every Node built-in any
// subcommand imports (crypto, net, child_process, zlib, worker_threads, …) before main() runs.
// Here: __toESM is memoised per module, and the heavy built-ins become proxies that require the
// real module on first property access. `tix instantiate --eval` then never loads most of them.
"use strict";
const fs = require("node:fs");

// Built-ins Node has already loaded during its own bootstrap are cheap; only defer the others.
const HEAVY = new Set(["crypto", "os", "net", "child_process", "zlib", "worker_threads", "stream", "stream/promises"]);

const file = process.argv[2];
let src = fs.readFileSync(file, "latin1");

const toEsmDef = "var __toESM = (mod, isNodeMode, target) => (";
if (!src.includes(toEsmDef)) throw new Error(`${file}: esbuild's __toESM helper not found; update scripts/lazy-builtins.cjs`);
src = src.replace(
  toEsmDef,
  `var __toESMCache = new WeakMap();
var __lazyBuiltin = (id) => {
  let real;
  const load = () => (real ??= require(id));
  return new Proxy({}, {
    get: (_, k) => load()[k],
    has: (_, k) => k in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); if (d) d.configurable = true; return d; },
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  });
};
var __toESMLazy = (id) => {
  let real;
  const load = () => (real ??= __toESM(require(id), 1));
  return new Proxy({}, {
    get: (_, k) => load()[k],
    has: (_, k) => k in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); if (d) d.configurable = true; return d; },
  });
};
var __toESM = (mod, isNodeMode, target) => mod != null && typeof mod === "object" && __toESMCache.has(mod) ? __toESMCache.get(mod) : __toESMStore(mod, __toESMOnce(mod, isNodeMode, target));
var __toESMStore = (mod, ns) => (mod != null && typeof mod === "object" && __toESMCache.set(mod, ns), ns);
var __toESMOnce = (mod, isNodeMode, target) => (`,
);

let lazy = 0;
// Only top-level bindings emitted by esbuild (whole lines), never code inside strings.
src = src.replace(/^var ([\w$]+) = (__toESM\()?require\("node:([a-z_/]+)"\)(, 1\))?;$/gm, (line, name, esm, mod, esmEnd) => {
  if (!HEAVY.has(mod)) return line;
  lazy++;
  return esm ? `var ${name} = __toESMLazy("node:${mod}");` : `var ${name} = __lazyBuiltin("node:${mod}");`;
});
fs.writeFileSync(file, src, "latin1");
process.stderr.write(`lazy-builtins: ${lazy} built-in imports deferred\n`);
