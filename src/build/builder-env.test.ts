// Unit tests of the builder environment and structured-attrs files, against what Nix 2.8 produces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builderEnv, passAsFileName } from "./builder-env.js";
import { structuredAttrsFiles } from "./structured-attrs.js";
import type { Derivation } from "../store/index.js";

function drv(env: Record<string, string>, outputs: Record<string, string> = { out: "/nix/store/0ws6qhirfmlcfnyij6vv3ddv5aqw4da9-x" }, hash?: [string, string]): Derivation {
  return {
    name: "x",
    outputs: new Map(Object.entries(outputs).map(([n, p]) => [n, { path: p, hashAlgo: hash?.[0] ?? "", hash: hash?.[1] ?? "" }])),
    inputDrvs: new Map(),
    inputSrcs: [],
    system: "x86_64-linux",
    builder: "/bin/sh",
    args: [],
    env: new Map(Object.entries(env)),
  };
}

test("passAsFile names are .attr- + nix32(sha256(name)) (as Nix 2.8 names them)", () => {
  assert.equal(passAsFileName("big"), ".attr-1lak0mvllw8rv9i9ygkglvhqsq19qi9ynl4bi7gbf69ab5nzw89a");
});

test("the environment of an ordinary derivation", () => {
  const d = drv({ name: "x", out: "/nix/store/0ws6qhirfmlcfnyij6vv3ddv5aqw4da9-x", foo: "bar", passAsFile: "big", big: "hello", PATH: "/mine" });
  const { env, files } = builderEnv(d, { buildDir: "/build", cores: 3 });
  assert.deepEqual(Object.fromEntries(env), {
    PATH: "/mine",
    HOME: "/homeless-shelter",
    NIX_STORE: "/nix/store",
    NIX_BUILD_CORES: "3",
    name: "x",
    out: "/nix/store/0ws6qhirfmlcfnyij6vv3ddv5aqw4da9-x",
    foo: "bar",
    passAsFile: "big",
    bigPath: "/build/.attr-1lak0mvllw8rv9i9ygkglvhqsq19qi9ynl4bi7gbf69ab5nzw89a",
    NIX_BUILD_TOP: "/build",
    TMPDIR: "/build",
    TEMPDIR: "/build",
    TMP: "/build",
    TEMP: "/build",
    PWD: "/build",
    NIX_LOG_FD: "2",
    TERM: "xterm-256color",
  });
  assert.deepEqual(files, [{ name: ".attr-1lak0mvllw8rv9i9ygkglvhqsq19qi9ynl4bi7gbf69ab5nzw89a", contents: "hello" }]);
});

test("impureEnvVars pass through only for fixed-output derivations", () => {
  const hostEnv = { http_proxy: "http://proxy", OTHER: "no" };
  const fixed = drv({ impureEnvVars: "http_proxy ftp_proxy" }, undefined, ["sha256", "00".repeat(32)]);
  const e1 = builderEnv(fixed, { buildDir: "/build", cores: 1, hostEnv }).env;
  assert.equal(e1.get("http_proxy"), "http://proxy");
  assert.equal(e1.get("ftp_proxy"), "");
  assert.equal(e1.has("OTHER"), false);
  const e2 = builderEnv(drv({ impureEnvVars: "http_proxy" }), { buildDir: "/build", cores: 1, hostEnv }).env;
  assert.equal(e2.has("http_proxy"), false);
});

// What Nix 2.8 wrote for: derivation { name = "sa"; __structuredAttrs = true; outputs = ["out" "dev"];
// foo = [1 2 {a="x";}]; bar = "str"; n = 3; b = true; nul = null; f = 1.5; … }
const SA_JSON_IN =
  '{"args":["-c","true"],"b":true,"bar":"str","builder":"/nix/store/8hzbz17vcmw97w1wpqpadxhfkj7crcps-busybox/busybox","f":1.5,"foo":[1,2,{"a":"x"}],"n":3,"name":"sa","nul":null,"outputs":["out","dev"],"system":"x86_64-linux"}'.replace(
    '"args":["-c","true"],',
    "",
  );
const SA_OUTPUTS = new Map([
  ["out", "/nix/store/wxvbmqadrs1jxcdvgbr9r55f3dywjqzq-sa"],
  ["dev", "/nix/store/kyrj5zxy8r3941rb4z1xyq8ycyxvfbv4-sa-dev"],
]);

test("structured attrs: .attrs.json and .attrs.sh as Nix 2.8 writes them", () => {
  const f = structuredAttrsFiles(SA_JSON_IN, SA_OUTPUTS);
  assert.equal(
    f.json,
    '{"b":true,"bar":"str","builder":"/nix/store/8hzbz17vcmw97w1wpqpadxhfkj7crcps-busybox/busybox","f":1.5,"foo":[1,2,{"a":"x"}],"n":3,"name":"sa","nul":null,"outputs":{"dev":"/nix/store/kyrj5zxy8r3941rb4z1xyq8ycyxvfbv4-sa-dev","out":"/nix/store/wxvbmqadrs1jxcdvgbr9r55f3dywjqzq-sa"},"system":"x86_64-linux"}',
  );
  assert.equal(
    f.sh,
    [
      "declare b=1",
      "declare bar='str'",
      "declare builder='/nix/store/8hzbz17vcmw97w1wpqpadxhfkj7crcps-busybox/busybox'",
      "declare n=3",
      "declare name='sa'",
      "declare nul=''",
      "declare -A outputs=(['dev']='/nix/store/kyrj5zxy8r3941rb4z1xyq8ycyxvfbv4-sa-dev' ['out']='/nix/store/wxvbmqadrs1jxcdvgbr9r55f3dywjqzq-sa' )",
      "declare system='x86_64-linux'",
      "",
    ].join("\n"),
  );
});

test("structured attrs: the environment only has the build variables and the file names", () => {
  const d = drv({ __json: SA_JSON_IN }, Object.fromEntries(SA_OUTPUTS));
  const { env, files } = builderEnv(d, { buildDir: "/build", cores: 2 });
  assert.deepEqual([...env.keys()].sort(), [
    "HOME", "NIX_ATTRS_JSON_FILE", "NIX_ATTRS_SH_FILE", "NIX_BUILD_CORES", "NIX_BUILD_TOP", "NIX_LOG_FD", "NIX_STORE",
    "PATH", "PWD", "TEMP", "TEMPDIR", "TERM", "TMP", "TMPDIR",
  ]);
  assert.equal(env.get("NIX_ATTRS_SH_FILE"), "/build/.attrs.sh");
  assert.deepEqual(files.map((f) => f.name), [".attrs.json", ".attrs.sh"]);
  // Arrays of simple values become indexed arrays; quotes are escaped.
  // false is empty (unquoted), as Nix writes it.
  const g = structuredAttrsFiles('{"f":false,"l":["a\'b","c"],"x-y":"skipped","o":{"k":[1]}}', new Map([["out", "/nix/store/p"]]));
  assert.equal(g.sh, "declare f=\ndeclare -a l=('a'\\''b' 'c' )\ndeclare -A outputs=(['out']='/nix/store/p' )\n");
});
