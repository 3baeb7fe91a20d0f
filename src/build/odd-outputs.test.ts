// Differential test against Nix 2.8 for outputs of unusual shapes and modes, and builders that try
// what the sandbox forbids: Nix and tix must register the same paths with the same NAR hashes, and Nix must
// accept what tix registered.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { hasNix, nix, tempDir } from "../store/test-util.js";
import { canBuild, ok, preludeFile, tix } from "./build-fixtures.js";

const skip = !canBuild() || !hasNix() ? "needs root, bubblewrap, busybox and Nix" : false;

const EXPR = `let inherit (import ./prelude.nix) mk; in rec {
  # An output that is a symlink: dangling, or to a store path that does not exist.
  danglingLink = mk "dangling-link" "ln -s nowhere $out" {};
  storeLink = mk "store-link" "ln -s /nix/store/00000000000000000000000000000000-absent $out" {};
  linkInside = mk "link-inside" "mkdir $out; ln -s ../nowhere $out/l" {};
  # Setting setuid/setgid fails (EPERM) as under Nix's syscall filter, so 'a' and 'b' keep mode
  # 644; sticky, world-writable, write-only and read-only modes and mtimes are normalised.
  modes = mk "modes" ''
    mkdir $out; cd $out; echo a > a; chmod 4755 a; echo b > b; chmod 2777 b; mkdir d; chmod 1777 d
    echo c > d/c; chmod 666 d/c; touch -d 2020-01-01 d/c; mkdir ro; chmod 500 ro; echo w > w; chmod 222 w
  '' {};
  all = [ danglingLink storeLink linkInside modes ];
}
`;

interface Info {
  narHash: string;
  narSize: number;
  references: string[];
}

test("odd outputs are registered as Nix registers them", { skip }, () => {
  const dir = tempDir("tix-odd-");
  preludeFile(dir);
  const file = path.join(dir, "odd.nix");
  fs.writeFileSync(file, EXPR);
  const storeA = path.join(tempDir(), "nix");
  const storeB = path.join(tempDir(), "tix");

  const nixPaths = nix("nix-build", ["--store", storeA, file, "-A", "all", "--no-out-link"]).stdout.trim().split("\n").sort();
  const tixPaths = ok(tix(["build", "--store", storeB, "-f", file, "all", "--no-link", "--print-out-paths"]), "tix build").trim().split("\n").sort();
  assert.deepEqual(tixPaths, nixPaths);

  const nixInfo = new Map(
    (JSON.parse(nix("nix", ["path-info", "--store", storeA, "--json", ...nixPaths]).stdout) as (Info & { path: string })[]).map((i) => [i.path, i]),
  );
  const tixInfo = JSON.parse(ok(tix(["path-info", "--store", storeB, "--json", ...tixPaths]), "tix path-info")) as Record<string, Info>;
  for (const p of nixPaths) {
    assert.equal(tixInfo[p]!.narHash, nixInfo.get(p)!.narHash, `NAR hash of ${p}`);
    assert.equal(tixInfo[p]!.narSize, nixInfo.get(p)!.narSize, `NAR size of ${p}`);
  }
  // Building again finds them valid; both tools verify the store.
  assert.deepEqual(ok(tix(["build", "--store", storeB, "-f", file, "all", "--no-link", "--print-out-paths"]), "rebuild").trim().split("\n").sort(), nixPaths);
  const verify = nix("nix-store", ["--store", storeB, "--verify", "--check-contents"], { allowFail: true });
  assert.equal(verify.status, 0, verify.stderr);
  assert.equal(ok(tix(["store", "verify", "--store", storeB, "--check-contents"]), "verify"), "");
});

const CHECKS = `let
  inherit (import ./prelude.nix) mk;
  # A structured-attrs builder writing its 'out' (busybox sh has no arrays for .attrs.sh).
  mkS = name: script: attrs: mk name ("out=$(grep -o '\\"out\\":\\"[^\\"]*\\"' .attrs.json | cut -d'\\"' -f4); " + script) ({ __structuredAttrs = true; } // attrs);
in {
  # outputChecks has no ignoreSelfRefs: an output's self-reference counts for its requisites.
  selfRequisite = mkS "self-requisite" "echo $out > $out" { outputChecks.out = { allowedRequisites = [ ]; ignoreSelfRefs = true; }; };
  # A string is a list of one; other elements than strings are refused.
  stringSpec = mkS "string-spec" "echo x > $out" { outputChecks.out.allowedReferences = "x"; };
  numberSpec = mkS "number-spec" "echo x > $out" { outputChecks.out.allowedReferences = [ 1 ]; };
}
`;

test("structured attributes' outputChecks are read as Nix reads them", { skip }, () => {
  const dir = tempDir("tix-checks-");
  preludeFile(dir);
  const file = path.join(dir, "checks.nix");
  fs.writeFileSync(file, CHECKS);
  const storeA = path.join(tempDir(), "nix");
  const storeB = path.join(tempDir(), "tix");
  const errorOf = (stderr: string): string => stderr.slice(stderr.indexOf("error: "));
  for (const attr of ["selfRequisite", "stringSpec", "numberSpec"]) {
    const n = nix("nix-build", ["--store", storeA, file, "-A", attr, "--no-out-link"], { allowFail: true });
    const t = tix(["build", "--store", storeB, "-f", file, attr, "--no-link"]);
    assert.notEqual(n.status, 0, `nix-build ${attr} fails`);
    assert.equal(t.status, 1, `tix build ${attr}: ${t.stderr}`);
    assert.equal(errorOf(t.stderr), errorOf(n.stderr), attr);
  }
});
