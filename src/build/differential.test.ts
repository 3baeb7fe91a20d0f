// Differential test against Nix 2.8: the same derivations (busybox builders: one and several
// outputs, dependencies, references, fixed outputs flat and recursive, passAsFile) built by
// nix-build and by tix build in two chroot stores give the same paths, NAR hashes and references;
// passAsFile, exportReferencesGraph and structured attributes give the builder the same files.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { hasNix, nix, tempDir } from "../store/test-util.js";
import { hashToSri, narHashOfTree, type NarNode } from "../store/index.js";
import { canBuild, ok, preludeFile, tix } from "./build-fixtures.js";

const skip = !canBuild() || !hasNix() ? "needs root, bubblewrap, busybox and Nix" : false;

const EXPR = `{ recHash }:
let inherit (import ./prelude.nix) mk; in rec {
  single = mk "single" "echo hello > $out" {};
  multi = mk "multi" "mkdir -p $out $dev; echo out > $out/file; echo $out > $dev/ref" { outputs = [ "out" "dev" ]; };
  dependent = mk "dependent" "mkdir $out; echo \${single} > $out/single; cat \${single} > $out/copy; ln -s \${multi.dev} $out/link" {};
  fixedFlat = mk "fixed-flat" "echo fixed > $out" { outputHashAlgo = "sha256"; outputHash = builtins.hashString "sha256" "fixed\\n"; };
  fixedRec = mk "fixed-rec" "mkdir -p $out/sub; echo a > $out/sub/a; chmod +x $out/sub/a; ln -s sub/a $out/l" {
    outputHashMode = "recursive"; outputHashAlgo = "sha256"; outputHash = recHash;
  };
  usesFixed = mk "uses-fixed" "cat \${fixedFlat} \${fixedRec}/sub/a > $out; echo \${fixedRec} >> $out" {};
  passFile = mk "pass-file" "cat $bigPath > $out; echo $NIX_BUILD_TOP $HOME $PATH $NIX_STORE $TMPDIR $PWD $name $out >> $out" {
    passAsFile = [ "big" ]; big = "contents";
  };
  graph = mk "graph" "cat graph > $out" { exportReferencesGraph = [ "graph" dependent ]; };
  structured = mk "structured" ''
    out=$(grep -o '"out":"[^"]*"' .attrs.json | cut -d'"' -f4)
    cat .attrs.json .attrs.sh > $out
  '' {
    __structuredAttrs = true;
    exportReferencesGraph.closure = [ dependent ];
    list = [ "a" "b'c" ]; set = { k = "v"; }; n = 42; flag = false; float = 1.5; nested = [ [ 1 ] ];
  };
  all = [ single multi multi.dev dependent fixedFlat fixedRec usesFixed passFile graph structured ];
}
`;

const REC_TREE: NarNode = {
  type: "directory",
  entries: new Map<string, NarNode>([
    ["l", { type: "symlink", target: "sub/a" }],
    ["sub", { type: "directory", entries: new Map([["a", { type: "regular", executable: true, contents: Buffer.from("a\n") }]]) }],
  ]),
};

interface Info {
  narHash: string;
  narSize: number;
  references: string[];
  ca: string | null;
  deriver: string | null;
}

test("tix build gives the same outputs as nix-build", { skip }, () => {
  const dir = tempDir("tix-diff-");
  preludeFile(dir);
  const file = path.join(dir, "diff.nix");
  fs.writeFileSync(file, EXPR);
  const recHash = hashToSri(narHashOfTree(REC_TREE));
  const storeA = path.join(tempDir(), "nix");
  const storeB = path.join(tempDir(), "tix");

  // What will be built, worded and ordered the same.
  const nixDry = nix("nix", ["build", "--store", storeA, "-f", file, "all", "--argstr", "recHash", recHash, "--dry-run"]);
  const tixDry = tix(["build", "--store", storeB, "-f", file, "all", "--argstr", "recHash", recHash, "--dry-run"]);
  assert.equal(tixDry.status, 0, tixDry.stderr);
  assert.equal(tixDry.stderr, nixDry.stderr);
  assert.match(tixDry.stderr, /^these 9 derivations will be built:\n/);

  const nixPaths = nix("nix-build", ["--store", storeA, file, "-A", "all", "--argstr", "recHash", recHash, "--no-out-link"]).stdout.trim().split("\n").sort();
  const tixPaths = ok(
    tix(["build", "--store", storeB, "-f", file, "all", "--argstr", "recHash", recHash, "--no-link", "--print-out-paths"]),
    "tix build",
  ).trim().split("\n").sort();
  assert.equal(nixPaths.length, 10);
  assert.deepEqual(tixPaths, nixPaths);

  const nixInfo = new Map(
    (JSON.parse(nix("nix", ["path-info", "--store", storeA, "--json", ...nixPaths]).stdout) as (Info & { path: string })[]).map((i) => [i.path, i]),
  );
  const tixInfo = JSON.parse(ok(tix(["path-info", "--store", storeB, "--json", ...tixPaths]), "tix path-info")) as Record<string, Info>;
  for (const p of nixPaths) {
    const a = nixInfo.get(p)!;
    const b = tixInfo[p]!;
    assert.equal(b.narHash, a.narHash, `NAR hash of ${p}`);
    assert.equal(b.narSize, a.narSize, `NAR size of ${p}`);
    assert.deepEqual([...b.references].sort(), [...a.references].sort(), `references of ${p}`);
    assert.equal(b.ca ?? null, a.ca ?? null, `content address of ${p}`);
    assert.equal(b.deriver, a.deriver, `deriver of ${p}`);
  }
  // Nix can read what tix registered, and agrees the contents match.
  const verify = nix("nix-store", ["--store", storeB, "--verify", "--check-contents"], { allowFail: true });
  assert.equal(verify.status, 0, verify.stderr);
  assert.equal(ok(tix(["store", "verify", "--store", storeB, "--check-contents"]), "verify"), "");
});

test("builds start in Nix's order: by derivation name, whatever their paths", { skip }, () => {
  const dir = tempDir("tix-order-");
  preludeFile(dir);
  const file = path.join(dir, "order.nix");
  fs.writeFileSync(
    file,
    `let inherit (import ./prelude.nix) mk; in
  map (n: mk n "echo > $out" {}) [ "zeta" "alpha" "mid" "beta" "omega" "gamma" ]
`,
  );
  const started = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("building "));
  const n = nix("nix", ["build", "--store", path.join(tempDir(), "nix"), "-f", file, "-j", "1", "--no-link"]);
  const t = tix(["build", "--store", path.join(tempDir(), "tix"), "-f", file, "-j", "1", "--no-link"]);
  assert.equal(t.status, 0, t.stderr);
  assert.deepEqual(started(t.stderr), started(n.stderr));
  assert.match(started(t.stderr)[0]!, /-alpha\.drv'\.\.\.$/);
});
