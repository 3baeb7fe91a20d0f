// Tests of `tix store …`, `tix path-info` and `tix hash …` through bin/tix, compared with real Nix
// where it is installed.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { hasNix, nix, tempDir, writeTree } from "../store/test-util.js";

const TIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/tix");

function tix(args: readonly string[], input?: Buffer): { status: number; stdout: string; stderr: string; raw: Buffer } {
  const r = spawnSync(TIX, args, { input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8"), raw: r.stdout };
}

function ok(args: readonly string[], input?: Buffer): string {
  const r = tix(args, input);
  assert.equal(r.status, 0, `tix ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

function fixture(): { src: string; file: string } {
  const src = writeTree(path.join(tempDir(), "pkg"), {
    "README": "read me\n",
    bin: { hello: ["exec", "#!/bin/sh\necho hello\n"] },
    lib: { "link": ["symlink", "../README"] },
  });
  return { src, file: path.join(src, "README") };
}

test("tix store add-path/add-file/path-info, read back by Nix", () => {
  const store = tempDir();
  const { src, file } = fixture();
  const dir = ok(["store", "add-path", "--store", store, src]).trim();
  const named = ok(["store", "add-path", "--store", store, "--name", "other", src]).trim();
  const flat = ok(["store", "add-file", "--store", store, file]).trim();
  assert.match(dir, /^\/nix\/store\/[0-9a-z]{32}-pkg$/);
  assert.match(named, /-other$/);
  assert.match(flat, /-README$/);

  const json = JSON.parse(ok(["path-info", "--store", store, "--json", dir, flat])) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(json).sort(), [dir, flat].sort());
  const info = json[dir]!;
  assert.deepEqual(Object.keys(info).sort(), ["ca", "deriver", "narHash", "narSize", "references", "registrationTime", "signatures", "ultimate"]);
  assert.match(info.narHash as string, /^sha256-/);
  assert.deepEqual(ok(["store", "path-info", "--store", store, dir]), `${dir}\n`);
  assert.equal(ok(["path-info", "--store", store, "--all"]).trim().split("\n").length, 3);
  const sized = ok(["path-info", "--store", store, "-sS", flat]);
  assert.match(sized, new RegExp(`^${flat}\\t +\\d+\\t +\\d+\\n$`));
  // With --closure-size the key takes its sorted place, as in modern Nix's JSON (was last).
  const withClosure = JSON.parse(ok(["path-info", "--store", store, "--json", "-S", flat])) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(withClosure[flat]!), ["ca", "closureSize", "deriver", "narHash", "narSize", "references", "registrationTime", "signatures", "ultimate"]);

  // Missing paths: an error, or null in JSON.
  const missing = "/nix/store/00000000000000000000000000000000-missing";
  const r = tix(["path-info", "--store", store, missing]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is not valid/);
  assert.deepEqual(JSON.parse(ok(["path-info", "--store", store, "--json", missing])), { [missing]: null });

  // A non-ASCII name is refused, naming the path by the hash of its UTF-8 bytes and the first
  // offending byte, byte for byte as Nix 2.8 does (the hash was of the wrong bytes).
  const readme = path.join(tempDir(), "README");
  fs.writeFileSync(readme, "read me\n");
  const accented = spawnSync(TIX, ["store", "add-path", "--store", store, "--name", "ü", readme]);
  assert.equal(accented.status, 1);
  assert.ok(
    accented.stderr.equals(Buffer.from("error: store path 'mli7i4x9hn9bs8yrfbgy2zdnyfvmgcx7-\xc3\xbc' contains illegal character '\xc3'\n", "latin1")),
    accented.stderr.toString("latin1"),
  );

  if (!hasNix()) return;
  const oracleStore = tempDir();
  assert.equal(nix("nix", ["store", "add-path", "--store", oracleStore, src]).stdout.trim(), dir);
  assert.equal(nix("nix", ["store", "add-file", "--store", oracleStore, file]).stdout.trim(), flat);
  const theirs = JSON.parse(nix("nix", ["path-info", "--store", store, "--json", dir, flat]).stdout) as Record<string, unknown>[];
  for (const t of theirs) {
    const ours = json[t.path as string]!;
    for (const k of ["narHash", "narSize", "references", "ca", "registrationTime"]) assert.deepEqual(t[k], ours[k], k);
  }
  nix("nix-store", ["--store", store, "--verify", "--check-contents"]);
});

test("path-info -h and --sigs print Nix's columns (units, rounding, padding)", () => {
  const store = tempDir();
  const dir = tempDir();
  // Flat files have 112 bytes of NAR framing: NAR sizes 1024 ("1024.0 ": bytes get a blank unit)
  // and 1280 (1.25K, printed "1.2K" as C's printf rounds the tie to even).
  fs.writeFileSync(path.join(dir, "k"), Buffer.alloc(912));
  fs.writeFileSync(path.join(dir, "longer"), Buffer.alloc(1168));
  const small = ok(["store", "add-file", "--store", store, path.join(dir, "k")]).trim();
  const big = ok(["store", "add-file", "--store", store, path.join(dir, "longer")]).trim();
  const args = ["path-info", "--store", store, "-sh", "--sigs", small, big];
  const out = ok(args);
  const [first, second] = out.split("\n");
  assert.match(first!, /^\/nix\/store\/\S+-k {5}\t1024\.0 \tca:fixed:sha256:[0-9a-z]{52}$/);
  assert.match(second!, /^\/nix\/store\/\S+-longer\t {3}1\.2K\tca:fixed:sha256:[0-9a-z]{52}$/);
  if (hasNix()) assert.equal(out, nix("nix", args).stdout);
});

test("tix store ls/cat/dump-path/restore", () => {
  const store = tempDir();
  const { src } = fixture();
  const p = ok(["store", "add-path", "--store", store, src]).trim();
  assert.equal(ok(["store", "ls", "--store", store, p]), "./README\n./bin\n./lib\n");
  assert.equal(
    ok(["store", "ls", "--store", store, "-lR", p]),
    [
      "-r--r--r--                    8 ./README",
      "dr-xr-xr-x                    0 ./bin",
      "-r-xr-xr-x                   21 ./bin/hello",
      "dr-xr-xr-x                    0 ./lib",
      "lrwxrwxrwx                    0 ./lib/link -> ../README",
      "",
    ].join("\n"),
  );
  assert.deepEqual(JSON.parse(ok(["store", "ls", "--store", store, "--json", `${p}/bin/hello`])), {
    type: "regular",
    size: 21,
    executable: true,
  });
  assert.equal(ok(["store", "cat", "--store", store, `${p}/bin/hello`]), "#!/bin/sh\necho hello\n");
  const notFile = tix(["store", "cat", "--store", store, `${p}/bin`]);
  assert.equal(notFile.status, 1);
  assert.match(notFile.stderr, /is not a regular file/);

  // As Nix prints them: --json without -R lists entries as empty objects, a directory is shown
  // as "." (also with -d), and missing files are named by their /nix/store path.
  assert.equal(ok(["store", "ls", "--store", store, "--json", p]), '{"type":"directory","entries":{"README":{},"bin":{},"lib":{}}}\n');
  assert.equal(ok(["store", "ls", "--store", store, "-ld", `${p}/bin`]), "dr-xr-xr-x                    0 .\n");
  const jsonDir = tix(["store", "ls", "--store", store, "--json", "-d", p]);
  assert.equal(jsonDir.status, 1);
  assert.match(jsonDir.stderr, /'--directory' is useless with '--json'/);
  // Names that are UTF-8 or not UTF-8 at all are listed as their bytes (they were looked up
  // under a mangled name and reported missing).
  const weird = path.join(tempDir(), "weird");
  fs.mkdirSync(weird);
  const rawName = Buffer.from([0x66, 0xff, 0x80]);
  fs.writeFileSync(Buffer.concat([Buffer.from(weird + "/"), rawName]), "x");
  fs.writeFileSync(path.join(weird, "ü"), "umlaut\n");
  const wp = ok(["store", "add-path", "--store", store, weird]).trim();
  const listing = spawnSync(TIX, ["store", "ls", "--store", store, "-l", wp]);
  assert.equal(listing.status, 0, listing.stderr.toString());
  assert.ok(
    listing.stdout.equals(
      Buffer.concat([
        Buffer.from("-r--r--r--                    1 ./"), rawName, Buffer.from("\n"),
        Buffer.from("-r--r--r--                    7 ./ü\n"),
      ]),
    ),
    listing.stdout.toString("latin1"),
  );
  assert.equal(ok(["store", "cat", "--store", store, `${wp}/ü`]), "umlaut\n");
  assert.equal(ok(["store", "ls", "--store", store, `${wp}/ü`]), "ü\n");

  for (const cmd of ["ls", "cat"]) {
    const missingFile = tix(["store", cmd, "--store", store, `${p}/nope`]);
    assert.equal(missingFile.stderr, `error: path '${p}/nope' does not exist\n`);
    const invalid = tix(["store", cmd, "--store", store, "/nix/store/00000000000000000000000000000000-x/y"]);
    assert.equal(invalid.stderr, "error: path '/nix/store/00000000000000000000000000000000-x' is not a valid store path\n");
  }

  const nar = tix(["store", "dump-path", "--store", store, p]).raw;
  // To a terminal (script(1) gives it one) the NAR is refused, as modern Nix does.
  const onTerminal = spawnSync("script", ["-qec", `${TIX} store dump-path --store ${store} ${p}`, "/dev/null"], { encoding: "utf8" });
  if (onTerminal.error === undefined) {
    assert.equal(onTerminal.status, 1);
    assert.match(onTerminal.stdout, /^error: refusing to write NAR to a terminal\r?\n/);
  }
  if (hasNix()) assert.ok(nar.equals(spawnSync("nix-store", ["--dump", src]).stdout), "same NAR as nix-store --dump");
  const dest = path.join(tempDir(), "restored");
  ok(["store", "restore", dest], nar);
  assert.equal(fs.readFileSync(path.join(dest, "bin/hello"), "utf8"), "#!/bin/sh\necho hello\n");
  assert.equal(fs.readlinkSync(path.join(dest, "lib/link")), "../README");

  // Adding the NAR to the store under another name gives the path add-path gives.
  const other = ok(["store", "add-path", "--store", store, "--name", "again", src]).trim();
  assert.equal(ok(["store", "restore", "--store", store, "--name", "again"], nar).trim(), other);
});

test("a corrupt NAR given to restore is an error and leaves the store unchanged", () => {
  const store = tempDir();
  const { src } = fixture();
  const p = ok(["store", "add-path", "--store", store, src]).trim();
  const nar = tix(["store", "dump-path", "--store", store, p]).raw;
  // To a terminal (script(1) gives it one) the NAR is refused, as modern Nix does.
  const onTerminal = spawnSync("script", ["-qec", `${TIX} store dump-path --store ${store} ${p}`, "/dev/null"], { encoding: "utf8" });
  if (onTerminal.error === undefined) {
    assert.equal(onTerminal.status, 1);
    assert.match(onTerminal.stdout, /^error: refusing to write NAR to a terminal\r?\n/);
  }
  const before = fs.readdirSync(path.join(store, "nix/store")).sort();
  const all = ok(["path-info", "--store", store, "--all"]);
  for (const bad of [nar.subarray(0, nar.length - 16), Buffer.from("garbage in, garbage out")]) {
    const r = tix(["store", "restore", "--store", store, "--name", "broken"], bad);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: (NAR is truncated|input doesn't look like a Nix archive)/);
    assert.deepEqual(fs.readdirSync(path.join(store, "nix/store")).sort(), before);
    assert.equal(ok(["path-info", "--store", store, "--all"]), all);
  }
  const dest = path.join(tempDir(), "partial");
  assert.equal(tix(["store", "restore", dest], nar.subarray(0, 200)).status, 1);
  assert.ok(!fs.existsSync(dest), "a failed restore leaves nothing behind");
});

test("tix store verify, gc and delete", () => {
  const store = tempDir();
  const { src, file } = fixture();
  const keep = ok(["store", "add-path", "--store", store, src]).trim();
  const drop = ok(["store", "add-file", "--store", store, file]).trim();
  assert.equal(tix(["store", "verify", "--store", store, "--check-contents"]).status, 0);

  fs.symlinkSync(keep, path.join(store, "nix/var/nix/gcroots/keep"));
  const dry = tix(["store", "gc", "--store", store, "--dry-run"]);
  assert.equal(dry.stdout, `${drop}\n1 store paths would be deleted\n`);
  const gc = tix(["store", "gc", "--store", store]);
  assert.equal(gc.status, 0);
  assert.match(gc.stdout, /^1 store paths deleted, \d+\.\d\d MiB freed\n$/);
  assert.match(gc.stderr, new RegExp(`deleting '${drop}'`));
  assert.equal(ok(["path-info", "--store", store, "--all"]), `${keep}\n`);

  const del = tix(["store", "delete", "--store", store, keep]);
  assert.equal(del.status, 1);
  assert.match(del.stderr, /still alive/);
  fs.rmSync(path.join(store, "nix/var/nix/gcroots/keep"));
  ok(["store", "delete", "--store", store, keep]);
  assert.equal(ok(["path-info", "--store", store, "--all"]), "");

  // Tampering is detected.
  const p = ok(["store", "add-path", "--store", store, src]).trim();
  const readme = path.join(store, p, "README");
  fs.chmodSync(path.join(store, p), 0o755);
  fs.chmodSync(readme, 0o644);
  fs.writeFileSync(readme, "tampered");
  const v = tix(["store", "verify", "--store", store, "--check-contents"]);
  assert.equal(v.status, 1);
  assert.match(v.stderr, /was modified! expected hash 'sha256:[0-9a-z]{52}', got 'sha256:[0-9a-z]{52}'/);
  // `store verify --all` checks contents as `nix store verify --all` does (it used to pass).
  const all = tix(["store", "verify", "--store", store, "--all"]);
  assert.equal(all.status, 1);
  assert.match(all.stderr, /was modified!/);
  assert.equal(tix(["store", "verify", "--store", store, "--all", "--no-contents"]).status, 0);

  // A path whose files vanished: `store verify PATH` reports it and leaves the database alone
  // (it was unregistered, with status 0); a bare `store verify` unregisters it like nix-store --verify.
  const goneSrc = path.join(tempDir(), "gone");
  fs.writeFileSync(goneSrc, "soon gone\n");
  const gone = ok(["store", "add-file", "--store", store, goneSrc]).trim();
  fs.rmSync(path.join(store, gone), { force: true });
  const named = tix(["store", "verify", "--store", store, gone]);
  assert.equal(named.status, 1);
  assert.match(named.stderr, new RegExp(`error: path '${gone}' is valid but does not exist on disk`));
  assert.equal(ok(["path-info", "--store", store, gone]), `${gone}\n`);
  const bare = tix(["store", "verify", "--store", store]);
  assert.match(bare.stderr, new RegExp(`path '${gone}' disappeared, removing from database`));
  assert.equal(tix(["path-info", "--store", store, gone]).status, 1);
});

test("tix hash file/path/to-*/convert", () => {
  const dir = tempDir();
  const file = path.join(dir, "flat.txt");
  fs.writeFileSync(file, "flat\n");
  const sri = "sha256-9ghaZFx/EaQcb/iSvPSo4YWuRiQyJzTrcjW1PHdJ6MM=";
  const b32 = "1hz895vkrd9mfbmk89rj4i3ax1g1m3sbr4pqdwfa84bzbij5l27n";
  const b16 = "f6085a645c7f11a41c6ff892bcf4a8e185ae4624322734eb7235b53c7749e8c3";
  assert.equal(ok(["hash", "to-base32", sri]), `${b32}\n`);
  assert.equal(ok(["hash", "to-sri", "--type", "sha256", b32]), `${sri}\n`);
  assert.equal(ok(["hash", "to-base16", `sha256:${b32}`]), `${b16}\n`);
  assert.equal(ok(["hash", "convert", "--hash-algo", "sha256", b16]), `${sri}\n`);
  assert.equal(ok(["hash", "convert", "--to", "nix32", sri]), `${b32}\n`);
  assert.equal(ok(["hash", "convert", "--to", "base16", "--from", "sri", sri]), `${b16}\n`);
  assert.equal(tix(["hash", "convert", "--from", "base16", sri]).status, 1);
  const noType = tix(["hash", "to-sri", b32]);
  assert.equal(noType.status, 1);
  assert.match(noType.stderr, /does not include a type/);

  const { src } = fixture();
  for (const args of [
    ["file", file],
    ["file", "--base32", file],
    ["file", "--type", "sha1", "--base16", file],
    ["file", "--type", "sha512", "--base64", file],
    ["path", src],
    ["path", "--base32", src],
    ["path", "--type", "md5", "--base16", src],
    // Several format flags: the last one wins, as in Nix.
    ["file", "--base16", "--base32", file],
    ["path", "--sri", "--base64", "--base16", src],
  ]) {
    const ours = ok(["hash", ...args]);
    if (hasNix()) assert.equal(ours, nix("nix", ["hash", ...args]).stdout, args.join(" "));
    else assert.match(ours, /^\S+\n$/);
  }
  const missing = tix(["hash", "file", path.join(dir, "nope")]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No such file or directory/);
  // A non-ASCII name comes back in UTF-8 (it was printed as Latin-1: 'n\xf6').
  assert.equal(tix(["hash", "file", path.join(dir, "nö")]).stderr, `error: opening file '${dir}/nö': No such file or directory\n`);
  const store = tempDir();
  assert.equal(
    tix(["store", "add-path", "--store", store, path.join(dir, "nö")]).stderr,
    `error: getting status of '${dir}/nö': No such file or directory\n`,
  );
  // A directory given to `hash file`: the reason and the path, not Node's EISDIR text.
  const directory = tix(["hash", "file", src]);
  assert.equal(directory.status, 1);
  assert.equal(directory.stderr, `error: reading from file '${src}': Is a directory\n`);
});
