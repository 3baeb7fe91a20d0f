import { test } from "node:test";
import assert from "node:assert/strict";
import { hashByteString, parseHash } from "./hash.js";
import { narHashOfTree } from "./nar.js";
import {
  checkStorePathName,
  compressHash,
  isStorePath,
  makeFixedOutputPath,
  makeOutputPath,
  makeSourcePath,
  makeStorePath,
  makeTextPath,
  parseStorePath,
  splitStorePath,
  storePathNameProblem,
} from "./store-path.js";
import { testTree } from "./testdata/tree-fixture.js";

const text = (name: string, contents: string, refs: string[] = []) => makeTextPath(name, hashByteString("sha256", contents), refs);

// Expected paths: `nix-instantiate --store $D --eval --strict -E '…'` with Nix 2.8.
test("builtins.toFile paths match Nix", () => {
  assert.equal(text("a", "b"), "/nix/store/g76zcpqc540lrc8i6g7xy6ip0npn2hnp-a");
  assert.equal(text("hello.txt", "hi"), "/nix/store/4k1qmf2xxr1jqhd2g72ymf2a9yg8blm7-hello.txt");
  assert.equal(text("empty", ""), "/nix/store/wflv0hgb0qb1ddc5nxmsg0y9zjjhfvmh-empty");
  assert.equal(text("a".repeat(211), "b"), `/nix/store/x91yrqdashdiag2xx7xx5yn52dzwd9aa-${"a".repeat(211)}`);
});

test("toFile with references sorts them into the type (`text:ref1:ref2`)", () => {
  const a = "/nix/store/g76zcpqc540lrc8i6g7xy6ip0npn2hnp-a";
  const hello = "/nix/store/4k1qmf2xxr1jqhd2g72ymf2a9yg8blm7-hello.txt";
  // builtins.toFile "r" "see ${toFile "a" "b"} and ${toFile "hello.txt" "hi"}"
  const contents = `see ${a} and ${hello}`;
  assert.equal(text("r", contents, [a, hello]), "/nix/store/smmbbmnvhx05v5j1yg7d570p1h6bb4hf-r");
  assert.equal(text("r", contents, [hello, a, a]), "/nix/store/smmbbmnvhx05v5j1yg7d570p1h6bb4hf-r");
});

test("builtins.path source paths (NAR sha256) match Nix", () => {
  const tree = testTree();
  if (tree.type !== "directory") throw new Error("unreachable");
  const narHash = narHashOfTree(tree);
  assert.equal(makeSourcePath("tree", narHash), "/nix/store/6hvn6an3rxps5m4f39c32p5xr7jhzz2m-tree");
  assert.equal(makeSourcePath("custom", narHash), "/nix/store/255fr3d01nfzqjvjasvnbjlfkzj42naf-custom");
  const file = (name: string) => narHashOfTree(tree.entries.get(name)!);
  assert.equal(makeSourcePath("a.txt", file("a.txt")), "/nix/store/z3n6ml62lc6l9glpaz6fq7fvi2rks9vq-a.txt");
  assert.equal(makeSourcePath("run.sh", file("run.sh")), "/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh");
  assert.equal(makeSourcePath("link", file("link")), "/nix/store/hsfpb0gqgq1qhwi2c1pgrb4vhawrwxld-link");
  // recursive sha256 fixed outputs are source paths too
  assert.equal(makeFixedOutputPath("tree", "recursive", narHash), "/nix/store/6hvn6an3rxps5m4f39c32p5xr7jhzz2m-tree");
});

test("fixed-output paths match `nix-store --print-fixed-path` and `path { recursive = false; }`", () => {
  const hello = parseHash("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  assert.equal(makeFixedOutputPath("foo", "flat", hello), "/nix/store/mpj4vila1vjy7hlgaiiwannrfjpfxcfm-foo");
  assert.equal(makeFixedOutputPath("foo", "recursive", hello), "/nix/store/7j0h36bmjnnmskczm73rnbx7r5pib0wa-foo");
  const sha1 = parseHash("sha1:86f7e437faa5a7fce15d1ddcb9eaeaea377667b8");
  assert.equal(makeFixedOutputPath("foo", "recursive", sha1), "/nix/store/mjm2c3mvhmqx1k72gs2snv2cmvavz9p9-foo");
  const md5 = parseHash("md5:0cc175b9c0f1b6a831c399e269772661");
  assert.equal(makeFixedOutputPath("foo", "flat", md5), "/nix/store/i8csffy3ph3kl0v9amm494ybd76jdmaq-foo");
  // builtins.path { path = ./tree/a.txt; recursive = false; } (sha256 of "hello\n")
  assert.equal(makeFixedOutputPath("a.txt", "flat", hashByteString("sha256", "hello\n")), "/nix/store/fdwm55r4skpypx1gwzb7x69ckav1rv09-a.txt");
  assert.throws(() => makeFixedOutputPath("foo", "flat", md5, ["/nix/store/g76zcpqc540lrc8i6g7xy6ip0npn2hnp-a"]), /cannot have references/);
});

test("input-addressed output paths: `output:NAME` over the hash modulo, `-NAME` suffix except for out", () => {
  // Hash modulo (masked) of testdata/drv/…-multi.drv, whose outputs Nix 2.8 computed as below.
  const h = "6e2d9acbe8bb3b49a75f7fde5acd0d5531afa2ae2948f97c378f742c30b87efd";
  assert.equal(makeOutputPath("out", h, "multi"), "/nix/store/6r7ccjfyrx8dhil1fd21dxbzpip3d8h8-multi");
  assert.equal(makeOutputPath("dev", h, "multi"), "/nix/store/ji08598fq17xm654iqcfa5kr8jlqzxaq-multi-dev");
  assert.equal(makeOutputPath("bin", h, "multi"), "/nix/store/8zkh7pddngvs74gr2367wr2p737v09ad-multi-bin");
});

test("the store directory is part of the fingerprint", () => {
  const h = "6e2d9acbe8bb3b49a75f7fde5acd0d5531afa2ae2948f97c378f742c30b87efd";
  const other = makeStorePath("text", h, "x", "/other/store");
  assert.ok(other.startsWith("/other/store/"));
  assert.notEqual(other.slice("/other/store/".length), makeStorePath("text", h, "x").slice("/nix/store/".length));
});

test("compressHash XOR-folds", () => {
  assert.deepEqual(compressHash(new Uint8Array([1, 2, 3, 4, 5]), 2), new Uint8Array([1 ^ 3 ^ 5, 2 ^ 4]));
});

test("invalid names are rejected with Nix's messages (hash part included)", () => {
  // Messages from `builtins.toFile NAME "b"` in Nix 2.8, and the leading-period rule of modern Nix
  // (2.21+: names may start with '.', but not be '.' or '..' or start with '.-' or '..-').
  const cases: [string, string][] = [
    ["~x", "store path 'pcgz6qwgmd3f6jcn75cyhhw4jxyqkp9y-~x' contains illegal character '~'"],
    ["", "store path '034zkal2sj4qr4zikfcsdk8ih3hjx7wc-' has an empty name"],
    ["a b", "store path 'c426yjl95p45lb9wgls86kyr03y3gh2g-a b' contains illegal character ' '"],
    ["a".repeat(212), `store path 'krgqk2iir97ykfgkla3rd0f7a92by633-${"a".repeat(212)}' has a name longer than 211 characters`],
    [".", "store path 'j6w60wilgg1bfaayhy960firscn15w1q-.' has invalid name '.'"],
    ["..", "store path 'zrjxilk7gwq18d6gdxvspihsallv8i9i-..' has invalid name '..'"],
    [".-x", "store path '4nfqxkyzz1mzvdnidlphg762d2862pxi-.-x' has invalid name '.-x': first dash-separated component must not be '.'"],
    ["..-x", "store path 'jnip8k06bgdaajmq2bprn1g6712i204r-..-x' has invalid name '..-x': first dash-separated component must not be '..'"],
  ];
  for (const [name, message] of cases) assert.throws(() => text(name, "b"), { name: "FormatError", message });
  assert.equal(storePathNameProblem(".x"), null);
  assert.equal(storePathNameProblem("..x-1"), null);
  assert.equal(storePathNameProblem(".x", { rejectLeadingPeriod: true }), "starts with illegal character '.'");
  assert.equal(storePathNameProblem("foo-1.0+bar_baz?x=y"), null);
  assert.throws(() => checkStorePathName("é"), /contains illegal character/);
});

test("store paths parse into their parts, with Nix's messages for bad ones", () => {
  assert.deepEqual(parseStorePath("/nix/store/g76zcpqc540lrc8i6g7xy6ip0npn2hnp-a"), {
    storeDir: "/nix/store",
    hashPart: "g76zcpqc540lrc8i6g7xy6ip0npn2hnp",
    name: "a",
  });
  // `nix-store -q --hash PATH` in Nix 2.8
  const cases: [string, string][] = [
    ["/nix/store/abc-foo", "'abc-foo' is too short to be a valid store path"],
    ["/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fpe-x", "store path 'isqc5qry87f33a1zs2ckj3vnxfwf7fpe-x' contains illegal base-32 character 'e'"],
    ["/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-a~", "store path 'isqc5qry87f33a1zs2ckj3vnxfwf7fp9-a~' contains illegal character '~'"],
    ["/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-", "store path 'isqc5qry87f33a1zs2ckj3vnxfwf7fp9-' has an empty name"],
    ["/foo/bar", "path '/foo/bar' is not in the Nix store"],
    ["/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9_x", "store path 'isqc5qry87f33a1zs2ckj3vnxfwf7fp9_x' lacks the '-' between its hash and its name"],
  ];
  for (const [p, message] of cases) assert.throws(() => parseStorePath(p), { message });
  assert.throws(() => parseStorePath("/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-x/bin"), /a path inside one/);
  assert.equal(isStorePath("/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-x"), true);
  assert.equal(isStorePath("/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-x", "/gnu/store"), false);
  const split = splitStorePath("/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-x/bin/sh");
  assert.equal(split.storePath, "/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-x");
  assert.equal(split.rest, "/bin/sh");
  assert.equal(splitStorePath("/nix/store/isqc5qry87f33a1zs2ckj3vnxfwf7fp9-x").rest, "");
});
