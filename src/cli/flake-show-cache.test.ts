// `tix flake show` of an unchanged `path:` flake answered from the evaluation cache without
// fetching, locking or evaluating it; and every kind of change to the flake seen at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ok, packagesFlake, settle, sh, world, type World } from "./flake-test-util.js";

/** bin/tix with exactly these arguments (flake-test-util's `tix` adds a store of its own). */
const tix = (w: World, args: string[]) => sh(w, w.root, path.resolve("bin/tix"), args);

let stores = 0;
/** `flake show` with a store of its own (empty unless `store` is given). */
function show(w: World, dir: string, args: string[] = [], store?: string): { out: string; store: string } {
  const s = store ?? path.join(w.root, `store-${++stores}`);
  const out = ok(tix(w, ["flake", "show", "--store", s, `path:${dir}`, ...args]), `show ${args.join(" ")}`);
  return { out, store: s };
}

/** What `show` prints when everything is evaluated again. */
const uncached = (w: World, dir: string, args: string[] = []): string => show(w, dir, ["--no-eval-cache", ...args]).out;

function sourceCopied(store: string): boolean {
  const dir = path.join(store, "nix", "store");
  return fs.existsSync(dir) && fs.readdirSync(dir).some((n) => n.endsWith("-source"));
}

function setUp(): { w: World; dir: string; dep2: string } {
  const w = world();
  const { dir, dep2 } = packagesFlake(w);
  ok(tix(w, ["flake", "lock", "--store", path.join(w.root, "lock-store"), `path:${dir}`]), "lock");
  return { w, dir, dep2 };
}

test("flake show: an unchanged path: flake is answered from the cache, without copying it to the store", () => {
  const { w, dir } = setUp();
  settle(dir);
  const first = show(w, dir);
  assert.match(first.out, /├───aa: package 'aa'\n/);
  assert.match(first.out, /fromDep: package 'from-dep'\n/);
  assert.equal(sourceCopied(first.store), true);
  // Answered from the cache: nothing is fetched into a new store, and the output is the same.
  const second = show(w, dir);
  assert.equal(second.out, first.out);
  assert.equal(sourceCopied(second.store), false);
  assert.equal(second.out, uncached(w, dir));
  // An attribute the cache lacks (other systems) locks and evaluates the flake after all.
  const all = show(w, dir, ["--all-systems"]);
  assert.match(all.out, /other: package 'other'/);
  assert.equal(all.out, uncached(w, dir, ["--all-systems"]));
  // JSON is answered from the same cache, with the same warnings.
  assert.equal(show(w, dir, ["--json"]).out, uncached(w, dir, ["--json"]));
  const json = () => tix(w, ["flake", "show", "--json", "--store", path.join(w.root, "store-json"), `path:${dir}`]);
  const [j1, j2] = [json(), json()];
  assert.equal(j2.stdout, j1.stdout);
  assert.match(j1.stderr, /warning: packages\.aarch64-linux\.other omitted \(use '--all-systems' to show\)/);
  assert.equal(j2.stderr, j1.stderr);
});

test("flake show: a changed file, a new file or a changed flake.lock is never answered from the cache", () => {
  const { w, dir, dep2 } = setUp();
  settle(dir);
  show(w, dir);
  assert.equal(sourceCopied(show(w, dir).store), false, "cached before the changes");

  // The same size and modification time, other contents: seen at once.
  const file = path.join(dir, "flake.nix");
  const st = fs.statSync(file);
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`bb = mk "bb"`, `cc = mk "cc"`));
  fs.utimesSync(file, st.atime, st.mtime);
  let r = show(w, dir);
  assert.match(r.out, /cc: package 'cc'/);
  // The tree, not the first line: the locked URL's narHash may contain "bb" by chance.
  assert.doesNotMatch(r.out.slice(r.out.indexOf("\n")), /bb/);
  assert.equal(r.out, uncached(w, dir));
  settle(dir);
  show(w, dir);
  r = show(w, dir);
  assert.equal(sourceCopied(r.store), false, "cached again once settled");
  assert.match(r.out, /cc: package 'cc'/);

  // A new file changes the flake's hash, so the locked URL in the first line.
  const header = r.out.split("\n")[0];
  fs.writeFileSync(path.join(dir, "README"), "hello\n");
  r = show(w, dir);
  assert.notEqual(r.out.split("\n")[0], header);
  assert.equal(r.out, uncached(w, dir));

  // flake.lock pointing the input elsewhere (flake.nix unchanged).
  settle(dir);
  show(w, dir);
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "flake.lock"), "utf8")) as { nodes: Record<string, { locked: Record<string, unknown> }> };
  const locked2 = JSON.parse(
    ok(tix(w, ["flake", "prefetch", "--json", "--store", path.join(w.root, "lock-store"), `path:${dep2}`]), "prefetch"),
  ) as { locked: Record<string, unknown> };
  lock.nodes["dep"]!.locked = { ...locked2.locked };
  fs.writeFileSync(path.join(dir, "flake.lock"), JSON.stringify(lock, null, 2) + "\n");
  r = show(w, dir);
  assert.match(r.out, /fromDep: package 'from-dep2'/);
  assert.equal(r.out, uncached(w, dir));
});

test("installables of an unchanged path: flake resolve through the recorded lock; a change is seen at once", () => {
  const { w, dir } = setUp();
  settle(dir);
  const store = path.join(w.root, "eval-store");
  const evalRaw = (attr: string, extra: string[] = []) =>
    ok(tix(w, ["eval", "--raw", "--store", store, `path:${dir}#${attr}`, ...extra]), `eval ${attr}`);
  const drv = evalRaw("aa.drvPath");
  assert.match(drv, /^\/nix\/store\/[a-z0-9]{32}-aa\.drv$/);
  show(w, dir); // records the lock
  assert.equal(evalRaw("aa.drvPath"), drv);
  assert.equal(evalRaw("fromDep.name"), "from-dep");
  assert.equal(evalRaw("aa.drvPath", ["--no-eval-cache"]), drv);
  const file = path.join(dir, "flake.nix");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`aa = mk "aa"`, `aa = mk "ab"`));
  assert.match(evalRaw("aa.drvPath"), /-ab\.drv$/);
});

test("a flake with nixConfig is locked on every run (commands that apply it must see it)", () => {
  const { w, dir } = setUp();
  const file = path.join(dir, "flake.nix");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`description = "packages";`, `description = "packages";\n  nixConfig.bash-prompt = "x";`));
  settle(dir);
  show(w, dir);
  assert.equal(sourceCopied(show(w, dir).store), true);
});
