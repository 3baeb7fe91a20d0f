// `tix eval --expr/--file` against `nix eval`: paths coerced to strings are copied into the store
// that `--store` selects (so files can be read through them), as Nix does.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { hasNix, nix, tempDir, writeTree } from "../store/test-util.js";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

function tix(args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(TIX, args, { encoding: "utf8", env: { ...process.env, NIX_PATH: "" } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: readonly string[]): string {
  const r = tix(args);
  assert.equal(r.status, 0, `tix ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

function source(): string {
  return writeTree(path.join(tempDir("tix-eval-src-"), "dir"), { f: "hello\n", sub: { g: "deep\n" } });
}

const CASES = (dir: string): [string[], string][] => [
  [["--expr", `"\${${dir}}"`], "interpolated path"],
  [["--expr", `builtins.readFile "\${${dir}}/f"`], "readFile through the store path"],
  [["--raw", "--expr", `builtins.readFile "\${${dir}}/sub/g"`], "--raw"],
  [["--json", "--expr", `{ p = ${dir}; s = "\${${dir}}"; }`], "--json copies path values"],
  [["--expr", `{ p = ${dir}; s = "\${${dir}}/f"; }`], "paths print as themselves"],
];

test("tix eval copies a path coerced to a string into --store and reads files through it", () => {
  const dir = source();
  const store = tempDir("tix-eval-store-");
  const first = ok(["eval", "--store", store, "--impure", "--expr", `"\${${dir}}"`]).trim();
  assert.match(first, /^"\/nix\/store\/[0-9a-z]{32}-dir"$/);
  assert.equal(fs.readFileSync(path.join(store, JSON.parse(first) as string, "f"), "utf8"), "hello\n");
  assert.equal(ok(["eval", "--store", store, "--impure", "--expr", `builtins.readFile "\${${dir}}/f"`]), '"hello\\n"\n');
});

test("tix eval prints what nix eval prints for paths coerced to strings", { skip: hasNix() ? false : "Nix is not installed" }, () => {
  const dir = source();
  const tixStore = tempDir("tix-eval-store-");
  const nixStore = tempDir("tix-eval-nix-store-");
  for (const [args, what] of CASES(dir)) {
    // 2.8 ends `--json` output without a newline; modern Nix (and tix) end it with one.
    const want = nix("nix", ["eval", "--store", nixStore, "--impure", ...args]).stdout.replace(/\n?$/, "\n");
    assert.equal(ok(["eval", "--store", tixStore, "--impure", ...args]), want, what);
  }
});

test("tix eval --read-only computes store paths without writing the store", () => {
  const dir = source();
  const store = path.join(tempDir("tix-eval-ro-"), "store");
  const out = ok(["eval", "--store", store, "--read-only", "--impure", "--expr", `"\${${dir}}"`]);
  assert.match(out, /^"\/nix\/store\/[0-9a-z]{32}-dir"\n$/);
  assert.equal(fs.existsSync(store), false);
});

test("tix eval of an expression without paths or derivations leaves the store untouched", () => {
  const store = path.join(tempDir("tix-eval-untouched-"), "store");
  assert.equal(ok(["eval", "--store", store, "--expr", "1 + 2"]), "3\n");
  assert.equal(fs.existsSync(store), false);
});

test("pure evaluation refuses to copy an absolute path outside the flake into the store, as Nix does", () => {
  const dir = source();
  const store = path.join(tempDir("tix-eval-pure-"), "store");
  const r = tix(["eval", "--store", store, "--expr", `"\${${dir}}"`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`access to absolute path '${dir}' is forbidden in pure evaluation mode \\(use '--impure' to override\\)`));
  assert.equal(fs.existsSync(store), false);
  // a file's own directory is readable: --file FILE may interpolate its neighbours
  const file = path.join(dir, "f.nix");
  fs.writeFileSync(file, '"${./f}"');
  assert.match(ok(["eval", "--store", store, "--file", file]), /^"\/nix\/store\/[0-9a-z]{32}-f"\n$/);
});

test("pure evaluation does not read through a symbolic link in a flake to a file outside it, as Nix does", () => {
  const root = tempDir("tix-eval-link-");
  const outside = writeTree(path.join(root, "outside"), { "v.nix": '"outside"' });
  const flake = writeTree(path.join(root, "flake"), {
    "flake.nix": "{ outputs = { self }: { out = import ./link.nix; exists = builtins.pathExists ./link.nix; read = builtins.readFile ./link.nix; inside = import ./inside.nix; }; }",
    "real.nix": '"inside"',
  });
  fs.symlinkSync(path.join(outside, "v.nix"), path.join(flake, "link.nix"));
  fs.symlinkSync("./sub/../real.nix", path.join(flake, "inside.nix"));
  fs.mkdirSync(path.join(flake, "sub"));
  const env = { ...process.env, NIX_PATH: "", XDG_CACHE_HOME: path.join(root, "cache") };
  const run = (attr: string) => spawnSync(TIX, ["eval", "--store", path.join(root, "store"), `path:${flake}#${attr}`], { encoding: "utf8", env });
  for (const attr of ["out", "read"]) {
    const r = run(attr);
    assert.equal(r.status, 1, attr);
    assert.match(r.stderr, new RegExp(`error: access to canonical path '${outside}/v\\.nix' \\(through '/nix/store/[0-9a-z]{32}-source/link\\.nix'\\) is forbidden in pure evaluation mode`));
  }
  // pathExists says false rather than telling what is there; a link within the flake is followed.
  assert.equal(run("exists").stdout, "false\n");
  assert.equal(run("inside").stdout, '"inside"\n');
  // --impure reads through it.
  const impure = spawnSync(TIX, ["eval", "--impure", "--store", path.join(root, "store"), `path:${flake}#out`], { encoding: "utf8", env });
  assert.equal(impure.stdout, '"outside"\n');
});

test("pure evaluation copies where a symbolic link leads (builtins.path, interpolation, filterSource), as Nix does; --impure copies the link", () => {
  const root = tempDir("tix-eval-copylink-");
  const flake = writeTree(path.join(root, "flake"), {
    "flake.nix":
      '{ outputs = { self }: { file = builtins.path { path = ./rel.nix; name = "l"; }; dir = "${./dirlink}"; filtered = builtins.filterSource (p: t: true) ./dirlink; dangling = "${./dangling}"; }; }',
    sub: { "a.nix": '"inside"\n', "t.txt": "hello\n", "default.nix": "import ./a.nix\n" },
  });
  fs.symlinkSync("sub/a.nix", path.join(flake, "rel.nix"));
  fs.symlinkSync("sub", path.join(flake, "dirlink"));
  fs.symlinkSync("nowhere", path.join(flake, "dangling"));
  const env = { ...process.env, NIX_PATH: "", XDG_CACHE_HOME: path.join(root, "cache") };
  const run = (attr: string, ...flags: string[]) =>
    spawnSync(TIX, ["eval", ...flags, "--store", path.join(root, "store"), `path:${flake}#${attr}`], { encoding: "utf8", env });
  // Store paths recorded from Nix 2.8 (`nix eval` of the same flake).
  assert.equal(run("file").stdout, '"/nix/store/maxdl7ha8xasc0qv5y6fvp2j94fibwww-l"\n');
  assert.equal(run("dir").stdout, '"/nix/store/64akk3mfa1xschmd03jyajncc3gmiyd1-dirlink"\n');
  assert.equal(run("filtered").stdout, '"/nix/store/64akk3mfa1xschmd03jyajncc3gmiyd1-dirlink"\n');
  const dangling = run("dangling");
  assert.equal(dangling.status, 1);
  assert.match(dangling.stderr, /error: path '\/nix\/store\/[0-9a-z]{32}-source\/nowhere' does not exist/);
  assert.equal(run("file", "--impure").stdout, '"/nix/store/8lyymc22yx2cpr5l300kdmrzh5bh9zs8-l"\n');
  assert.equal(run("dir", "--impure").stdout, '"/nix/store/nnj6hi9709gnz36s0g2z2vjhwifmj9ia-dirlink"\n');
});

test("builtins.hashFile reads a store path of a --store chroot store where it really is", () => {
  const store = tempDir("tix-eval-hashfile-");
  const out = ok(["eval", "--store", store, "--expr", 'builtins.hashFile "sha256" (builtins.toFile "x" "abc")']);
  assert.equal(out, '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"\n');
});

test("a flake.nix that is a symbolic link is evaluated where it leads, and may not lead outside the flake, as in Nix", () => {
  const root = tempDir("tix-eval-flakelink-");
  const inside = writeTree(path.join(root, "inside"), {
    sub: { "real.nix": "{ outputs = { self }: { t = builtins.readFile ./t.txt; }; }", "t.txt": "sub\n" },
    "t.txt": "top\n",
  });
  fs.symlinkSync("sub/real.nix", path.join(inside, "flake.nix"));
  const outside = writeTree(path.join(root, "outside"), { "f.nix": "{ outputs = { self }: { t = 5; }; }" });
  const escaping = writeTree(path.join(root, "escaping"), {});
  fs.symlinkSync(path.join(outside, "f.nix"), path.join(escaping, "flake.nix"));
  const env = { ...process.env, NIX_PATH: "", XDG_CACHE_HOME: path.join(root, "cache") };
  const run = (dir: string) => spawnSync(TIX, ["eval", "--store", path.join(root, "store"), `path:${dir}#t`], { encoding: "utf8", env });
  assert.equal(run(inside).stdout, '"sub\\n"\n');
  const r = run(escaping);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error: 'flake\.nix' file of flake 'path:.*' escapes from '\/nix\/store\/[0-9a-z]{32}-source'/);
});

test("tix eval --arg/--argstr call the file's function on the way to the selected attribute, as nix eval does", () => {
  const dir = writeTree(tempDir("tix-eval-args-"), { "f.nix": '{ x ? 1, y, s ? "d" }: { sum = x + y; str = s; }\n' });
  const store = tempDir("tix-eval-store-");
  const file = path.join(dir, "f.nix");
  assert.equal(ok(["eval", "--store", store, "--file", file, "sum", "--arg", "y", "2"]), "3\n");
  assert.equal(ok(["eval", "--store", store, "--file", file, "str", "--argstr", "s", "x", "--arg", "y", "1 + 1"]), '"x"\n');
  assert.equal(ok(["eval", "--store", store, "--impure", "--expr", `import ${file}`, "sum", "--arg", "y", "5", "--arg", "x", "10"]), "15\n");
});

test("tix eval accepts Nix's verbosity flags (-v, -vvv, --verbose, --quiet) and prints the same", () => {
  const store = tempDir("tix-eval-verbose-");
  for (const flag of ["-v", "-vvv", "--verbose", "--quiet"]) {
    assert.equal(ok(["eval", "--store", store, flag, "--expr", "1 + 1"]), "2\n", flag);
  }
});
